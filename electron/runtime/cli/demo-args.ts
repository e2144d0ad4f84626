import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { defaultDataDir } from './default-paths.js';
import { UsageError } from './serve-args.js';

export interface DemoArgs {
  portA: number;
  portB: number;
  /** Holds the generated cluster file and one data folder per node. */
  dataDir: string;
  help: boolean;
}

export const DEMO_BASE_PORT = 7101;

/** Parses `tandem demo` flags; every mistake becomes a UsageError naming the flag and value. */
export function parseDemoArgs(argv: string[], env: NodeJS.ProcessEnv = process.env): DemoArgs {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        'base-port': { type: 'string' },
        'port-a': { type: 'string' },
        'port-b': { type: 'string' },
        data: { type: 'string' },
        help: { type: 'boolean' },
      },
    }));
  } catch (error) {
    throw new UsageError(`${(error as Error).message.split('\n')[0]}. See "tandem demo --help".`);
  }
  // Each node's URL goes into the cluster file before it starts, so 0 (any free port) cannot be used.
  const base = values['base-port'] === undefined ? DEMO_BASE_PORT : port(values['base-port'] as string, '--base-port', 65_534);
  const portA = values['port-a'] === undefined ? base : port(values['port-a'] as string, '--port-a');
  const portB = values['port-b'] === undefined ? base + 1 : port(values['port-b'] as string, '--port-b');
  if (portA === portB) throw new UsageError(`--port-a and --port-b must differ: both nodes would listen on ${portA}`);
  const data = values.data;
  if (data !== undefined && (typeof data !== 'string' || data.trim() === '')) throw new UsageError('--data needs a value');
  return { portA, portB, dataDir: (data as string | undefined) ?? join(defaultDataDir(env), 'demo-pair'), help: values.help === true };
}

function port(raw: string, flag: string, max = 65_535): number {
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value < 1 || value > max) throw new UsageError(`${flag} must be a whole number from 1 to ${max}, got "${raw}"`);
  return value;
}
