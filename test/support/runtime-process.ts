import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const TANDEM_BIN = fileURLToPath(new URL('../../bin/tandem.js', import.meta.url));
const START_TIMEOUT_MS = 30_000;
/** Every test runtime starts with this administrator password (TANDEM_ADMIN_PASSWORD) unless told otherwise. */
export const ADMIN_PASSWORD = 'test-admin-password';

export interface RuntimeProcess {
  url: string;
  dataDir: string;
  child: ChildProcess;
  output(): string;
  /** SIGTERM and wait for the exit code. */
  stop(): Promise<number | null>;
}

export function tempDir(prefix = 'tandem-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Starts a real `tandem serve` process on a free loopback port and waits until it listens. */
export async function startRuntimeProcess(options: { dataDir?: string; args?: string[]; env?: Record<string, string | undefined> } = {}): Promise<RuntimeProcess> {
  const dataDir = options.dataDir ?? tempDir();
  const args = options.args ?? [];
  // A cluster node listens on the port of its URL in the cluster file; others take a free port (a paired one: its pair's).
  const port = args.includes('--cluster') ? [] : ['--port', '0'];
  const child = spawn(process.execPath, [TANDEM_BIN, 'serve', ...port, '--data', dataDir, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, TANDEM_LOG_LEVEL: 'warn', TANDEM_ADMIN_PASSWORD: ADMIN_PASSWORD, ...options.env },
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`runtime did not start in ${START_TIMEOUT_MS} ms:\n${output}`)), START_TIMEOUT_MS);
    const check = () => {
      const match = /Tandem listening on (http:\/\/\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    };
    child.stdout!.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`runtime exited with code ${code} before listening:\n${output}`));
    });
  });
  return {
    url,
    dataDir,
    child,
    output: () => output,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve(child.exitCode);
        child.once('exit', (code) => resolve(code));
        child.kill('SIGTERM');
      }),
  };
}

/** Free loopback ports for nodes whose URLs must be known before they start. */
export async function freePorts(count: number): Promise<number[]> {
  const { createServer } = await import('node:net');
  const servers = await Promise.all(
    Array.from({ length: count }, () => new Promise<import('node:net').Server>((resolve) => {
      const server = createServer();
      server.listen(0, '127.0.0.1', () => resolve(server));
    })),
  );
  const ports = servers.map((server) => (server.address() as { port: number }).port);
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  return ports;
}

/** Runs `tandem ...` to completion (for flags that exit at once). */
export function runTandem(args: string[]): { code: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [TANDEM_BIN, ...args], { encoding: 'utf8', timeout: START_TIMEOUT_MS });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

export async function getJson<T = unknown>(url: string, token?: string): Promise<{ status: number; body: T }> {
  const res = await fetch(url, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  return { status: res.status, body: (await res.json()) as T };
}

export async function postJson<T = unknown>(url: string, body: unknown, token?: string): Promise<{ status: number; body: T }> {
  const headers = { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) };
  const res = await fetch(url, { method: 'POST', headers, body: typeof body === 'string' ? body : JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as T };
}

/** Signs in and returns the bearer token; waits for the first administrator to exist on a fresh node. */
export async function login(baseUrl: string, user: string, password: string, project?: string): Promise<string> {
  return waitFor(async () => {
    const res = await postJson<{ token?: string }>(`${baseUrl}api/login`, { user, password, ...(project ? { project } : {}) });
    if (res.status !== 200) throw new Error(`login as ${user}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.token;
  }, 20_000, `a login as ${user}`);
}

export function loginAdmin(baseUrl: string, project?: string): Promise<string> {
  return login(baseUrl, 'admin', ADMIN_PASSWORD, project);
}

/**
 * Creates (or updates) a user with a role through the Server's API as `admin`, and returns a token
 * of that user, for tests that act as an operator, engineer or viewer.
 */
export async function userToken(baseUrl: string, project: string, name: string, role: 'viewer' | 'operator' | 'engineer' | 'administrator'): Promise<string> {
  const admin = await loginAdmin(baseUrl, project);
  const password = `${name}-password`;
  const requestId = `user-${name}-${role}-${Date.now()}`;
  const res = await postJson(`${baseUrl}api/projects/${project}/users`, { requestId, name, role, password }, admin);
  if (res.status !== 200) throw new Error(`creating user ${name}: ${res.status} ${JSON.stringify(res.body)}`);
  return login(baseUrl, name, password, project);
}

/** Polls until `probe` returns a value (not undefined), or fails after timeoutMs with the last error. */
export async function waitFor<T>(probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 20_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${lastError ? `: ${String(lastError)}` : ''}`);
}
