import { randomBytes } from 'node:crypto';
import { chmodSync } from 'node:fs';
import { isIP, type AddressInfo } from 'node:net';
import type { PairConfig } from '../engine/redundancy/engine-types.js';
import type { Project } from '../../shared/project/load-project.js';
import { createHttpServer } from './api/http-server.js';
import type { ApiContext } from './api/routes.js';
import { createWsGateway } from './api/ws-gateway.js';
import { systemClock, type Clock } from './clock.js';
import { cutPower } from './demo-power-cut.js';
import { ProjectHost } from './host/project-host.js';

import { UI_DIR, VERSION } from './package-paths.js';
import { startAdminBootstrap } from './auth/admin-bootstrap.js';
import { AuthService } from './auth/auth-service.js';
import { TokenSigner, tokenKey } from './auth/token.js';
import { PeerLinks } from './peer/peer-links.js';
import { ResourceMonitor } from './resource-monitor.js';

export interface RuntimeProject {
  project: Project;
  /** The project's pair; without one it runs standalone. */
  pair?: PairConfig;
}

export interface RuntimeCluster {
  name: string;
  secret: string;
  /** Every node this one shares a project with, and its URL. */
  peers: ReadonlyMap<string, string>;
  /** This node's own URL in the cluster. */
  selfUrl: string;
  failureTimeoutMs: number;
}

export interface RuntimeOptions {
  node: string;
  dataDir: string;
  host: string;
  port: number;
  projects: RuntimeProject[];
  cluster?: RuntimeCluster;
  clock?: Clock;
  uiDir?: string;
  /** `tandem demo` only: POST /api/demo/power-cut from this PC ends the process (demo-power-cut.ts). */
  demoPowerCut?: boolean;
  /** The first administrator's password (TANDEM_ADMIN_PASSWORD); without it one is generated and printed once. */
  adminPassword?: string;
  /** Where the generated password is printed (stdout). */
  print?: (line: string) => void;
}

export interface Runtime {
  url: string;
  stop(reason: string): Promise<void>;
}

/** Starts a node: its peer links, its projects (stores, engines, drivers), then the HTTP + WebSocket API. */
export async function startRuntime(options: RuntimeOptions): Promise<Runtime> {
  const clock = options.clock ?? systemClock;
  const bootId = randomBytes(6).toString('hex');
  const links = options.cluster
    ? new PeerLinks({
        cluster: options.cluster.name,
        secret: options.cluster.secret,
        self: options.node,
        peers: options.cluster.peers,
        clock,
        silenceMs: options.cluster.failureTimeoutMs,
        // Dial from our own address when we listen on one: the link is then told apart from stations' traffic.
        localAddress: isIP(options.host) && options.host !== '0.0.0.0' && options.host !== '::' ? options.host : undefined,
      })
    : null;
  const projects = new Map<string, ProjectHost>();
  const stopBootstraps: Array<() => void> = [];
  const stopAll = (reason: string) => {
    for (const stop of stopBootstraps) stop();
    for (const host of projects.values()) host.stop(reason);
    links?.close();
  };
  // The data folder holds the users' password hashes and the token key: its owner's only.
  chmodSync(options.dataDir, 0o700);
  const auth = new AuthService(new TokenSigner(tokenKey(options.dataDir, options.cluster)), clock, projects);
  try {
    for (const { project, pair } of options.projects) {
      const peerNode = pair?.peer ?? null;
      const send = (envelope: Parameters<PeerLinks['send']>[1]) => links!.send(peerNode!, envelope);
      const peer = links && peerNode ? { send, sendText: send } : undefined;
      const urls = new Map([...(options.cluster?.peers ?? []), [options.node, options.cluster?.selfUrl ?? '']]);
      const host = ProjectHost.start({ project, dataDir: options.dataDir, node: options.node, bootId, clock, pair: pair && peer ? { config: pair, peer, urls } : undefined });
      projects.set(project.id, host);
      stopBootstraps.push(startAdminBootstrap(host, { password: options.adminPassword, print: options.print ?? ((line) => process.stdout.write(`${line}\n`)) }));
    }
  } catch (error) {
    stopAll('start-up failed');
    throw error;
  }
  links?.onEnvelope((from, envelope) => {
    const host = projects.get(envelope.project);
    if (host && host.peerNode() === from) host.peerEnvelope(envelope);
  });
  links?.onLinkChange((node, up) => {
    for (const host of projects.values()) if (host.peerNode() === node) host.peerLink(up);
  });

  const demo = options.demoPowerCut ? { powerCut: cutPower } : null;
  const resources = new ResourceMonitor(options.dataDir);
  const ctx: ApiContext = { clock, node: options.node, version: VERSION, startedAt: clock.now(), projects, demo, resources: () => resources.health(), auth };
  // Stations follow the Server to the other nodes: the UI may connect to them too.
  const server = createHttpServer(ctx, options.uiDir ?? UI_DIR, [...(options.cluster?.peers.values() ?? [])]);
  const gateway = createWsGateway(ctx);
  server.on('upgrade', (req, socket, head) => {
    if (links?.handleUpgrade(req, socket, head) || gateway.handleUpgrade(req, socket, head)) return;
    socket.end('HTTP/1.1 404 Not Found\r\nconnection: close\r\n\r\n');
  });
  try {
    await listen(server, options.port, options.host);
  } catch (error) {
    stopAll('start-up failed');
    throw error;
  }
  const { port } = server.address() as AddressInfo;
  const hostPart = options.host.includes(':') ? `[${options.host}]` : options.host;
  return {
    url: `http://${hostPart}:${port}/`,
    async stop(reason: string) {
      // Upgraded sockets (clients, the peer link) keep server.close() waiting: close them first.
      gateway.close();
      links?.close();
      resources.stop();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      stopAll(reason);
    },
  };
}

function listen(server: ReturnType<typeof createHttpServer>, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      const why = error.code === 'EADDRINUSE' ? 'the port is in use (another Tandem?); pick another with --port' : error.code === 'EADDRNOTAVAIL' ? 'this machine has no such address' : error.code === 'EACCES' ? 'permission denied (ports below 1024 need privileges)' : error.message;
      reject(new ListenError(`cannot listen on ${host}:${port}: ${why}`));
    };
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve();
    });
  });
}

export class ListenError extends Error {}
