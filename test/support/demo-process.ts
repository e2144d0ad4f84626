import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { freePorts, TANDEM_BIN } from './runtime-process.js';

/** A running `tandem demo`: pc-a on portA, pc-b on portB, its output and its keyboard. */
export interface DemoProcess {
  portA: number;
  portB: number;
  child: ChildProcess;
  /** Everything it printed so far, standard output and error. */
  output(): string;
  /** Resolves with the exit code once it has exited. */
  exitCode: Promise<number | null>;
  /** Types a line on its keyboard (a key and Enter). */
  keys(line: string): void;
  /** SIGTERM, as Ctrl-C would, unless it has exited already; resolves with the exit code. */
  stop(): Promise<number | null>;
}

/** Starts `tandem demo` on two free consecutive loopback ports with its data in `dataDir`. */
export async function startDemoProcess(dataDir: string): Promise<DemoProcess> {
  const portA = await freeBasePort();
  const child = spawn(process.execPath, [TANDEM_BIN, 'demo', '--base-port', String(portA), '--data', dataDir], { stdio: ['pipe', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exitCode = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    portA,
    portB: portA + 1,
    child,
    output: () => output,
    exitCode,
    keys: (line) => child.stdin!.write(`${line}\n`),
    stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exitCode;
    },
  };
}

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** A free port whose successor is free too: the demo puts pc-b on --base-port + 1. */
async function freeBasePort(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const [port] = await freePorts(1);
    if (port! < 65_535 && (await canListen(port! + 1))) return port!;
  }
  throw new Error('no two consecutive free ports on 127.0.0.1');
}
