import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadProjectFile, ProjectFileError } from '../project-file.js';
import { DEMO_PROJECT_FILE, VERSION } from '../package-paths.js';
import { log, logError, setLogLevel } from '../log.js';
import { ListenError, startRuntime } from '../runtime.js';
import { StoreOpenError } from '../store/store-error.js';
import { MAIN_HELP, SERVE_HELP } from './help.js';
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
  if (command !== 'serve') throw new UsageError(`unknown command "${command}". Commands: serve. See "tandem --help".`);
  return serve(rest);
}

async function serve(argv: string[]): Promise<number> {
  const args = parseServeArgs(argv);
  if (args.help) {
    process.stdout.write(SERVE_HELP);
    return 0;
  }
  setLogLevel(args.logLevel);
  const projectFile = args.projectFile ? resolve(args.projectFile) : DEMO_PROJECT_FILE;
  const project = loadProjectFile(projectFile);
  const dataDir = resolve(args.dataDir);
  try {
    mkdirSync(dataDir, { recursive: true });
  } catch (error) {
    throw new ProjectFileError(`cannot create the data folder ${dataDir}: ${(error as NodeJS.ErrnoException).code ?? error}`);
  }
  const runtime = await startRuntime({ node: args.node, dataDir, host: args.host, port: args.port, projects: [project] });
  const origin = args.projectFile ? projectFile : 'built-in demo';
  process.stdout.write(`Tandem ${VERSION}: node "${args.node}", project "${project.id}" (${origin}), data ${dataDir}\n`);
  process.stdout.write(`Tandem listening on ${runtime.url}\n`);
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

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof UsageError) {
      process.stderr.write(`tandem: ${error.message}\n`);
      process.exit(2);
    }
    if (error instanceof ProjectFileError || error instanceof StoreOpenError || error instanceof ListenError) {
      process.stderr.write(`tandem: ${error.message}\n`);
      process.exit(1);
    }
    process.stderr.write(`tandem: unexpected error, see the log above (id ${logError('start-up failed', error)})\n`);
    process.exit(1);
  },
);
