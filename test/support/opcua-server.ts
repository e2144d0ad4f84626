import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

const SCRIPT = fileURLToPath(new URL('./opcua-server.mjs', import.meta.url));

export interface OpcuaTestServerOptions {
  /** 0 for a free port. */
  port: number;
  /** Served as ns=1;s=Generation, so a test can tell a restarted server from the first. */
  generation: number;
  /** The server's PKI (its self-signed certificate) lives under this folder. */
  pkiDir: string;
  /** Extra Doubles ns=1;s=Bulk.00001... that all change every `bulkPeriodMs` (benchmark). */
  bulk?: number;
  bulkPeriodMs?: number;
}

export interface OpcuaTestServer {
  port: number;
  endpointUrl: string;
  /** The server process, for measuring its own CPU time. */
  pid: number;
  stop(): Promise<void>;
}

/** Starts test/support/opcua-server.mjs (node-opcua-server) as its own process on loopback. */
export async function startOpcuaServer(options: OpcuaTestServerOptions): Promise<OpcuaTestServer> {
  const args = [String(options.port), String(options.generation), options.pkiDir, String(options.bulk ?? 0), String(options.bulkPeriodMs ?? 100)];
  const child = spawn(process.execPath, [SCRIPT, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening (\d+)/.exec(output);
      if (match) resolve(Number(match[1]));
    });
    child.once('exit', (code) => reject(new Error(`OPC UA test server exited (${code}) before listening: ${output}`)));
  });
  return { port, endpointUrl: `opc.tcp://127.0.0.1:${port}/tandem-test`, pid: child.pid ?? 0, stop: () => stopChild(child) };
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGKILL');
  await exited;
}
