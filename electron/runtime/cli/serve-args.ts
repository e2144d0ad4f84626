import { parseArgs } from 'node:util';
import type { LogLevel } from '../log.js';
import { DEFAULT_DISCOVERY_PORT } from '../pairing/discovery.js';
import { defaultDataDir, defaultNodeName } from './default-paths.js';

export interface ServeArgs {
  projectFile: string | null;
  clusterFile: string | null;
  dataDir: string;
  /** Null when not given: DEFAULT_PORT, or in a cluster the port of the node's URL. */
  port: number | null;
  /** Null: 127.0.0.1, or with --cluster the host of the node's URL. */
  host: string | null;
  node: string;
  logLevel: LogLevel;
  /** Demo only (`tandem demo` sets it): POST /api/demo/power-cut from this PC ends the process. */
  demoPowerCut: boolean;
  /** UDP port on which this node answers pairing discovery and searches for others; 0: off. */
  discoveryPort: number;
  /** Take plain HTTP from other PCs too, not only from this one (an isolated network without TLS). */
  allowPlainHttp: boolean;
  help: boolean;
}

export class UsageError extends Error {}

export const DEFAULT_PORT = 7480;
const LOG_LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error'];

/** Parses `tandem serve` flags; every mistake becomes a UsageError naming the flag and value. */
export function parseServeArgs(argv: string[]): ServeArgs {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        project: { type: 'string' },
        cluster: { type: 'string' },
        data: { type: 'string' },
        port: { type: 'string' },
        host: { type: 'string' },
        node: { type: 'string' },
        'log-level': { type: 'string' },
        'demo-power-cut': { type: 'boolean' },
        'discovery-port': { type: 'string' },
        'allow-plain-http': { type: 'boolean' },
        help: { type: 'boolean' },
      },
    }));
  } catch (error) {
    throw new UsageError(`${(error as Error).message.split('\n')[0]}. See "tandem serve --help".`);
  }
  const projectFile = nonEmpty(values.project, '--project');
  const clusterFile = nonEmpty(values.cluster, '--cluster');
  if (projectFile && clusterFile) throw new UsageError('give either --project or --cluster: a cluster file names its projects');
  if (clusterFile && values.port !== undefined) {
    throw new UsageError('--port does not go with --cluster: the node listens on the port of its own URL in the cluster file');
  }
  return {
    projectFile,
    clusterFile,
    dataDir: nonEmpty(values.data, '--data') ?? defaultDataDir(),
    port: values.port !== undefined ? port(values.port as string, '--port') : null,
    host: nonEmpty(values.host, '--host'),
    node: values.node === undefined ? defaultNodeName() : nodeName(values.node as string),
    logLevel: values['log-level'] === undefined ? 'info' : logLevel(values['log-level'] as string),
    demoPowerCut: values['demo-power-cut'] === true,
    discoveryPort: values['discovery-port'] === undefined ? DEFAULT_DISCOVERY_PORT : port(values['discovery-port'] as string, '--discovery-port'),
    allowPlainHttp: values['allow-plain-http'] === true,
    help: values.help === true,
  };
}

function nonEmpty(value: string | boolean | undefined, flag: string): string | null {
  if (value === undefined) return null;
  if (typeof value !== 'string' || value.trim() === '') throw new UsageError(`${flag} needs a value`);
  return value;
}

function port(raw: string, flag: string): number {
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value > 65_535) throw new UsageError(`${flag} must be a whole number from 0 to 65535, got "${raw}"`);
  return value;
}

function nodeName(raw: string): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/.test(raw)) {
    throw new UsageError(`--node must be 1 to 63 letters, digits, ".", "_" or "-" (starting with a letter or digit), got "${raw}"`);
  }
  return raw;
}

function logLevel(raw: string): LogLevel {
  if (!LOG_LEVELS.includes(raw as LogLevel)) throw new UsageError(`--log-level must be one of ${LOG_LEVELS.join(', ')}, got "${raw}"`);
  return raw as LogLevel;
}
