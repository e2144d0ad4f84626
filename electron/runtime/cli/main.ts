import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { ProjectFileError } from '../project-file.js';
import { VERSION } from '../package-paths.js';
import { log, logError, setLogLevel } from '../log.js';
import { ClusterFileError, loadClusterFile } from '../cluster-file.js';
import { clusterSetup, standaloneSetup, type NodeSetup } from '../node-setup.js';
import { loadPersistedCluster } from '../pairing/pairing-files.js';
import { ListenError, startRuntime } from '../runtime.js';
import { StoreOpenError } from '../store/store-error.js';
import { CertificateError } from '../tls/node-certificate.js';
import { demo } from './demo.js';
import { DEMO_HELP, MAIN_HELP, SERVE_HELP } from './help.js';
import { DEFAULT_PORT, parseServeArgs, UsageError, type ServeArgs } from './serve-args.js';

/** Exit codes: 0 done, 1 could not run (bad file, database, port), 2 bad command line. */
async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || (command === 'help' && rest.length === 0)) {
    process.stdout.write(MAIN_HELP);
    return command === undefined ? 2 : 0;
  }
  if (command === '--version') {
    process.stdout.write(`${VERSION}\n`);
    return 0;
  }
  if (command === 'help' && rest[0] === 'serve') {
    process.stdout.write(SERVE_HELP);
    return 0;
  }
  if (command === 'help' && rest[0] === 'demo') {
    process.stdout.write(DEMO_HELP);
    return 0;
  }
  if (command === 'demo') return demo(rest);
  if (command !== 'serve') throw new UsageError(`unknown command "${command}". Commands: serve, demo. See "tandem --help".`);
  return serve(rest);
}

async function serve(argv: string[]): Promise<number> {
  const args = parseServeArgs(argv);
  if (args.help) {
    process.stdout.write(SERVE_HELP);
    return 0;
  }
  setLogLevel(args.logLevel);
  const dataDir = resolve(args.dataDir);
  try {
    mkdirSync(dataDir, { recursive: true });
  } catch (error) {
    throw new ProjectFileError(`cannot create the data folder ${dataDir}: ${(error as NodeJS.ErrnoException).code ?? error}`);
  }
  const setup = nodeSetup(args, dataDir);
  const host = args.host ?? setup.host ?? '127.0.0.1';
  const runtime = await startRuntime({
    node: args.node,
    dataDir,
    host,
    // In a pair the node listens on the port of its URL there; `--port 0` (any port, as the desktop shell asks) takes that one.
    port: args.port === 0 && setup.cluster ? setup.port! : (args.port ?? setup.port ?? DEFAULT_PORT),
    setup,
    demoPowerCut: args.demoPowerCut,
    discoveryPort: args.discoveryPort,
    pairingCodeTtlMs: pairingCodeTtlMs(process.env.TANDEM_PAIRING_CODE_TTL_MS),
    adminPassword: process.env.TANDEM_ADMIN_PASSWORD,
    allowPlainHttp: args.allowPlainHttp,
  });
  for (const { project, pair } of setup.projects) {
    const how = pair ? `paired with ${pair.peer}, preferred Server ${pair.preferred}` : 'standalone';
    process.stdout.write(`Tandem ${VERSION}: node "${args.node}", project "${project.id}" (${setup.origin}, ${how}), data ${dataDir}\n`);
  }
  process.stdout.write(`Tandem listening on ${runtime.url}\n`);
  process.stdout.write(`TLS certificate of this node: SHA-256 ${runtime.fingerprint}\n`);
  if (args.allowPlainHttp) log('warn', '--allow-plain-http: other PCs may use plain HTTP; logins, tokens and commands from them cross the network unencrypted');
  if (args.demoPowerCut) log('info', 'demo power cut on: POST /api/demo/power-cut from this PC ends this process at once (SIGKILL)');
  return new Promise((done) => {
    let stopping = false;
    const stop = (signal: string) => {
      if (stopping) return;
      stopping = true;
      log('info', `received ${signal}, stopping`);
      runtime.stop(signal).then(
        () => done(0),
        (error: unknown) => {
          logError('clean stop failed', error);
          done(1);
        },
      );
    };
    process.on('SIGINT', () => stop('SIGINT'));
    process.on('SIGTERM', () => stop('SIGTERM'));
    // Started by the desktop shell: its IPC channel closes when the shell goes, even on a crash or on Windows.
    if (process.send) process.on('disconnect', () => stop('desktop app closed'));
  });
}

/**
 * What the node runs: the cluster of --cluster; else the cluster it was paired into (cluster.json
 * in the data folder); else --project (or the demo) standalone.
 */
function nodeSetup(args: ServeArgs, dataDir: string): NodeSetup {
  if (args.clusterFile) return clusterSetup(loadClusterFile(resolve(args.clusterFile)), args.node);
  const paired = loadPersistedCluster(dataDir);
  if (paired === null) return standaloneSetup(args.projectFile);
  const setup = clusterSetup(paired, args.node);
  if (args.port !== null && args.port !== 0 && args.port !== setup.port) {
    throw new ClusterFileError(`this node is paired (cluster ${paired.cluster}, ${paired.path}) and listens on port ${setup.port}, the port of its address in the pair; leave out --port, or unpair it first`);
  }
  if (args.projectFile) log('info', `this node is paired (${paired.path}): it runs the projects of cluster ${paired.cluster}, not --project ${args.projectFile}`);
  return setup;
}

/** TANDEM_PAIRING_CODE_TTL_MS: how long a pairing code is valid (tests shorten it). */
function pairingCodeTtlMs(raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 500 || value > 3_600_000) throw new UsageError(`TANDEM_PAIRING_CODE_TTL_MS must be a whole number of milliseconds from 500 to 3600000, got "${raw}"`);
  return value;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof UsageError) {
      process.stderr.write(`tandem: ${error.message}\n`);
      process.exit(2);
    }
    if (error instanceof ProjectFileError || error instanceof ClusterFileError || error instanceof StoreOpenError || error instanceof ListenError || error instanceof CertificateError) {
      process.stderr.write(`tandem: ${error.message}\n`);
      process.exit(1);
    }
    process.stderr.write(`tandem: unexpected error, see the log above (id ${logError('start-up failed', error)})\n`);
    process.exit(1);
  },
);
