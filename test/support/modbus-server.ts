import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

const SCRIPT = fileURLToPath(new URL('./modbus-server.py', import.meta.url));
/** A Python with pymodbus (Debian: `apt-get install python3-pymodbus`). */
const PYTHON = process.env.TANDEM_PYMODBUS_PYTHON ?? '/usr/bin/python3';

export interface ModbusTestServer {
  port: number;
  stop(): Promise<void>;
}

/** What modbus-server.py serves besides its fixed registers (see the script's usage). */
export interface ModbusServerOptions {
  /** Size of each table (default 32). */
  registers?: number;
  /** Holding register 21 counts up by one every this many ms. */
  countMs?: number;
  /** Holding registers the server refuses. */
  refuse?: number[];
  /** A request touching holding register 30 takes this long. */
  slowMs?: number;
}

/** Starts test/support/modbus-server.py on loopback; `generation` is served in holding register 20. */
export async function startModbusServer(port: number, generation: number, options: ModbusServerOptions = {}): Promise<ModbusTestServer> {
  const flags = [
    ...(options.registers ? ['--registers', String(options.registers)] : []),
    ...(options.countMs ? ['--count-ms', String(options.countMs)] : []),
    ...(options.refuse ? ['--refuse', options.refuse.join(',')] : []),
    ...(options.slowMs ? ['--slow-ms', String(options.slowMs)] : []),
  ];
  const child = spawn(PYTHON, [SCRIPT, String(port), String(generation), ...flags], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const bound = await new Promise<number>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      const match = /listening (\d+)/.exec(chunk.toString());
      if (match) resolve(Number(match[1]));
    });
    child.once('exit', (code) => reject(new Error(`pymodbus server exited (${code}) before listening: ${stderr}`)));
  });
  return { port: bound, stop: () => stopChild(child) };
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGKILL');
  await exited;
}
