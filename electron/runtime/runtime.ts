import { randomBytes } from 'node:crypto';
import { chmodSync } from 'node:fs';
import { isIP } from 'node:net';
import { createRequestHandler } from './api/http-server.js';
import type { ApiContext } from './api/routes.js';
import { createWsGateway } from './api/ws-gateway.js';
import { systemClock, type Clock } from './clock.js';
import { cutPower } from './demo-power-cut.js';
import { NodeProjects } from './node-projects.js';
import type { NodeSetup } from './node-setup.js';
import { UI_DIR, VERSION } from './package-paths.js';
import { DEFAULT_DISCOVERY_PORT } from './pairing/discovery.js';
import { DEFAULT_CODE_TTL_MS, PairingService } from './pairing/pairing-service.js';
import { startAdminBootstrap } from './auth/admin-bootstrap.js';
import { AuthService } from './auth/auth-service.js';
import { TokenSigner, tokenKey } from './auth/token.js';
import { ResourceMonitor } from './resource-monitor.js';
import { displayFingerprint } from '../../shared/cluster/fingerprint.js';
import { loadOrCreateNodeCertificate } from './tls/node-certificate.js';
import { isLoopbackHost } from './loopback.js';
import { NodeListener } from './tls/node-listener.js';

export type { RuntimeCluster, RuntimeProject } from './node-setup.js';

export interface RuntimeOptions {
  node: string;
  dataDir: string;
  host: string;
  port: number;
  /** What the node runs at start; pairing and unpairing replace it while it runs. */
  setup: NodeSetup;
  clock?: Clock;
  uiDir?: string;
  /** `tandem demo` only: POST /api/demo/power-cut from this PC ends the process (demo-power-cut.ts). */
  demoPowerCut?: boolean;
  /** UDP port of pairing discovery (0: off). Default DEFAULT_DISCOVERY_PORT. */
  discoveryPort?: number;
  /** How long a pairing code is valid. Default DEFAULT_CODE_TTL_MS. */
  pairingCodeTtlMs?: number;
  /** The first administrator's password (TANDEM_ADMIN_PASSWORD); without it one is generated and printed once. */
  adminPassword?: string;
  /** Where the generated password is printed (stdout). */
  print?: (line: string) => void;
  /** Take plain HTTP from other PCs too (`--allow-plain-http`); by default only from this PC. */
  allowPlainHttp?: boolean;
}

export interface Runtime {
  /** http:// when the node listens on loopback only, else https://. */
  url: string;
  /** SHA-256 of this node's TLS certificate (hex): what its peers pin. */
  fingerprint: string;
  stop(reason: string): Promise<void>;
}

/** Starts a node: its projects with their peer links, then the HTTP + WebSocket API and pairing. */
export async function startRuntime(options: RuntimeOptions): Promise<Runtime> {
  const clock = options.clock ?? systemClock;
  const bootId = randomBytes(6).toString('hex');
  // Dial from our own address when we listen on one: the link is then told apart from stations' traffic.
  const ownAddress = isIP(options.host) && options.host !== '0.0.0.0' && options.host !== '::' ? options.host : undefined;
  // The data folder holds the users' password hashes and the token and TLS keys: its owner's only.
  chmodSync(options.dataDir, 0o700);
  const certificate = await loadOrCreateNodeCertificate(options.dataDir, options.node);
  const bootstrap = { password: options.adminPassword, print: options.print ?? ((line: string) => process.stdout.write(`${line}\n`)) };
  const projects = new NodeProjects({
    node: options.node,
    dataDir: options.dataDir,
    fingerprint: certificate.fingerprint,
    bootId,
    clock,
    localAddress: ownAddress,
    onHostStarted: (host) => startAdminBootstrap(host, bootstrap),
  });
  projects.start(options.setup);
  // Tokens are signed with a key of the pair (from its secret) or of this node: pairing changes it.
  let signing: { cluster: string; signer: TokenSigner } | null = null;
  const signer = (): TokenSigner => {
    const cluster = projects.setup.cluster;
    const id = cluster ? `${cluster.name}\n${cluster.secret}` : '';
    if (signing?.cluster !== id) signing = { cluster: id, signer: new TokenSigner(tokenKey(options.dataDir, cluster)) };
    return signing.signer;
  };
  const auth = new AuthService(signer, clock, projects.hosts);

  const demo = options.demoPowerCut ? { powerCut: cutPower } : null;
  const resources = new ResourceMonitor(options.dataDir);
  const ctx: ApiContext = { clock, node: options.node, version: VERSION, startedAt: clock.now(), projects: projects.hosts, demo, resources: () => resources.health(), pairing: null, auth };
  const gateway = createWsGateway(ctx);
  const server = new NodeListener({
    certificate,
    allowPlainHttp: options.allowPlainHttp ?? false,
    // Stations follow the Server to the other nodes: the UI may connect to them too.
    requests: createRequestHandler(ctx, options.uiDir ?? UI_DIR, () => projects.peerUrls()),
    upgrades: (req, socket, head) => {
      if (projects.handleUpgrade(req, socket, head) || gateway.handleUpgrade(req, socket, head)) return;
      socket.end('HTTP/1.1 404 Not Found\r\nconnection: close\r\n\r\n');
    },
  });
  try {
    await listen(server, options.port, options.host);
  } catch (error) {
    resources.stop();
    projects.stop('start-up failed');
    throw error;
  }
  const { port } = server.address();
  ctx.pairing = new PairingService({
    node: options.node,
    version: VERSION,
    dataDir: options.dataDir,
    clock,
    projects,
    fingerprint: certificate.fingerprint,
    listening: () => ({ host: ownAddress ?? null, port }),
    setupChanged: () => gateway.restartClients('the node joined or left a pair'),
    discoveryPort: options.discoveryPort ?? DEFAULT_DISCOVERY_PORT,
    instance: bootId,
    codeTtlMs: options.pairingCodeTtlMs ?? DEFAULT_CODE_TTL_MS,
  });
  const hostPart = options.host.includes(':') ? `[${options.host}]` : options.host;
  // Plain HTTP is for this PC; an address other PCs reach is given as https://.
  const scheme = isLoopbackHost(options.host) || options.allowPlainHttp ? 'http' : 'https';
  return {
    url: `${scheme}://${hostPart}:${port}/`,
    fingerprint: displayFingerprint(certificate.fingerprint),
    async stop(reason: string) {
      ctx.pairing?.close();
      // Upgraded sockets (clients, the peer link) keep server.close() waiting: close them first.
      gateway.close();
      projects.closeLinks();
      resources.stop();
      await server.close();
      projects.stop(reason);
    },
  };
}

async function listen(server: NodeListener, port: number, host: string): Promise<void> {
  try {
    await server.listen(port, host);
  } catch (error) {
    const { code, message } = error as NodeJS.ErrnoException;
    const why = code === 'EADDRINUSE' ? 'the port is in use (another Tandem?); pick another with --port' : code === 'EADDRNOTAVAIL' ? 'this machine has no such address' : code === 'EACCES' ? 'permission denied (ports below 1024 need privileges)' : message;
    throw new ListenError(`cannot listen on ${host}:${port}: ${why}`);
  }
}

export class ListenError extends Error {}
