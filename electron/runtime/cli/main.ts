import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadProjectFile, ProjectFileError } from '../project-file.js';
import { DEMO_PROJECT_FILE, VERSION } from '../package-paths.js';
import { log, logError, setLogLevel } from '../log.js';
import { ClusterFileError, loadClusterFile, membershipOf } from '../cluster-file.js';
import { ListenError, startRuntime, type RuntimeCluster, type RuntimeProject } from '../runtime.js';
import { StoreOpenError } from '../store/store-error.js';
import { demo } from './demo.js';
import { DEMO_HELP, MAIN_HELP, SERVE_HELP } from './help.js';
import { parseServeArgs, UsageError } from './serve-args.js';

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
  const setup = args.clusterFile ? clusterSetup(resolve(args.clusterFile), args.node) : standaloneSetup(args.projectFile);
  const dataDir = resolve(args.dataDir);
  try {
    mkdirSync(dataDir, { recursive: true });
  } catch (error) {
    throw new ProjectFileError(`cannot create the data folder ${dataDir}: ${(error as NodeJS.ErrnoException).code ?? error}`);
  }
  const host = args.host ?? setup.host ?? '127.0.0.1';
  const runtime = await startRuntime({
    node: args.node,
    dataDir,
    host,
    port: args.port ?? setup.port ?? 0,
    projects: setup.projects,
    cluster: setup.cluster,
    demoPowerCut: args.demoPowerCut,
    adminPassword: process.env.TANDEM_ADMIN_PASSWORD,
  });
  for (const { project, pair } of setup.projects) {
    const how = pair ? `paired with ${pair.peer}, preferred Server ${pair.preferred}` : 'standalone';
    process.stdout.write(`Tandem ${VERSION}: node "${args.node}", project "${project.id}" (${setup.origin}, ${how}), data ${dataDir}\n`);
  }
  process.stdout.write(`Tandem listening on ${runtime.url}\n`);
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

interface Setup {
  projects: RuntimeProject[];
  cluster?: RuntimeCluster;
  origin: string;
  host?: string;
  port?: number;
}

function standaloneSetup(projectFile: string | null): Setup {
  const file = projectFile ? resolve(projectFile) : DEMO_PROJECT_FILE;
  return { projects: [{ project: loadProjectFile(file) }], origin: projectFile ? file : 'built-in demo' };
}

function clusterSetup(file: string, node: string): Setup {
  const cluster = loadClusterFile(file);
  const membership = membershipOf(cluster, node);
  const projects = membership.projects.map(({ project: entry, peer }): RuntimeProject => {
    const project = loadProjectFile(entry.file);
    if (project.id !== entry.id) {
      throw new ClusterFileError(`cluster file ${file}: project "${entry.id}" names ${entry.file}, whose id is "${project.id}"; make them the same`);
    }
    const { heartbeatMs, failureTimeoutMs } = cluster.timing;
    return { project, pair: { self: node, peer, preferred: entry.server, failback: entry.failback, heartbeatMs, failureTimeoutMs } };
  });
  return {
    projects,
    cluster: { name: cluster.cluster, secret: cluster.secret, peers: membership.peers, selfUrl: membership.url, failureTimeoutMs: cluster.timing.failureTimeoutMs },
    origin: `cluster ${cluster.cluster}`,
    host: new URL(membership.url).hostname.replace(/^\[|\]$/g, ''),
    port: membership.listenPort,
  };
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof UsageError) {
      process.stderr.write(`tandem: ${error.message}\n`);
      process.exit(2);
    }
    if (error instanceof ProjectFileError || error instanceof ClusterFileError || error instanceof StoreOpenError || error instanceof ListenError) {
      process.stderr.write(`tandem: ${error.message}\n`);
      process.exit(1);
    }
    process.stderr.write(`tandem: unexpected error, see the log above (id ${logError('start-up failed', error)})\n`);
    process.exit(1);
  },
);
