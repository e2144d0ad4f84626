import type { ChildProcess } from 'node:child_process';
import { networkInterfaces } from 'node:os';
import { afterAll, describe, expect, it } from 'vitest';
import type { ErrorResponse, PowerCutResponse, StatusResponse } from '../../shared/protocol/api.js';
import { FAST_PROJECT } from '../support/fixtures.js';
import { getJson, loginAdmin, postJson, removeDir, runTandem, startRuntimeProcess, type RuntimeProcess } from '../support/runtime-process.js';

const started: RuntimeProcess[] = [];
afterAll(async () => {
  for (const runtime of started) {
    await runtime.stop();
    removeDir(runtime.dataDir);
  }
});

async function start(args: string[]): Promise<RuntimeProcess> {
  const runtime = await startRuntimeProcess({ args: ['--project', FAST_PROJECT, '--node', 'pc-cut', ...args] });
  started.push(runtime);
  return runtime;
}

/** How the process ended: its signal, or its exit code. */
function ended(child: ChildProcess): Promise<string | number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.signalCode ?? child.exitCode);
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve(signal ?? code)));
}

/** An address of this machine that is not loopback: a request to it comes from that address. */
function nonLoopbackAddress(): string {
  const address = Object.values(networkInterfaces())
    .flat()
    .find((info) => info && info.family === 'IPv4' && !info.internal)?.address;
  if (!address) throw new Error('this test needs an IPv4 address other than loopback on this machine (a network interface that is up)');
  return address;
}

/** The power cut needs an engineer's login: these ask as the first administrator. */
const cut = (base: string, token: string, init: { headers?: Record<string, string>; body?: string } = { headers: { 'content-type': 'application/json' }, body: '{}' }) =>
  fetch(new URL('api/demo/power-cut', base), { method: 'POST', ...init, headers: { ...init.headers, authorization: `Bearer ${token}` } });

describe('the demo power cut', () => {
  it('does not exist without --demo-power-cut: 404 like any unknown endpoint, and the node runs on', async () => {
    const runtime = await start([]);
    expect((await getJson<StatusResponse>(`${runtime.url}api/status`)).body.demo).toBeNull();
    const answer = await postJson<ErrorResponse>(`${runtime.url}api/demo/power-cut`, {});
    expect(answer.status).toBe(404);
    expect(answer.body.error).toMatchObject({ code: 'notFound', message: 'there is no API endpoint /api/demo/power-cut' });
    expect((await getJson<StatusResponse>(`${runtime.url}api/status`)).status).toBe(200);
  });

  it('with --demo-power-cut answers 202, then the process ends with SIGKILL', async () => {
    const runtime = await start(['--demo-power-cut']);
    expect((await getJson<StatusResponse>(`${runtime.url}api/status`)).body.demo).toEqual({ powerCut: true });
    const bye = ended(runtime.child);

    const answer = await cut(runtime.url, await loginAdmin(runtime.url));
    expect(answer.status).toBe(202);
    expect((await answer.json()) as PowerCutResponse).toEqual({ node: 'pc-cut' });
    expect(await bye).toBe('SIGKILL');
    expect(runtime.output()).toMatch(/power cut asked for by 127\.0\.0\.1 .*: this process ends now with SIGKILL/);
    await expect(fetch(`${runtime.url}api/status`)).rejects.toThrow();
  });

  it('refuses, and the node runs on, when asked without JSON, with a body, or from another PC', async () => {
    // Plain HTTP from the other address too: this is about who may cut, not about TLS.
    const runtime = await start(['--demo-power-cut', '--host', '0.0.0.0', '--allow-plain-http']);
    const port = new URL(runtime.url).port;
    const local = `http://127.0.0.1:${port}/`;
    const token = await loginAdmin(local);
    const unsigned = await fetch(`${local}api/demo/power-cut`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(unsigned.status).toBe(401);

    const plain = await cut(local, token, {});
    expect(plain.status).toBe(415);
    expect(((await plain.json()) as ErrorResponse).error.message).toContain('content-type application/json');

    const withBody = await cut(local, token, { headers: { 'content-type': 'application/json' }, body: '{"now":true}' });
    expect(withBody.status).toBe(400);
    expect(((await withBody.json()) as ErrorResponse).error.message).toContain('now');

    const address = nonLoopbackAddress();
    const remote = await cut(`http://${address}:${port}/`, token);
    expect(remote.status).toBe(403);
    expect((await remote.json()) as ErrorResponse).toMatchObject({ error: { code: 'forbidden', message: expect.stringContaining(address) } });

    const wrongMethod = await fetch(`${local}api/demo/power-cut`);
    expect(wrongMethod.status).toBe(405);
    expect(runtime.child.exitCode).toBeNull();
    expect((await getJson<StatusResponse>(`${local}api/status`)).status).toBe(200);
  });

  it('is in "tandem serve --help" as demo only', () => {
    const { code, stdout } = runTandem(['serve', '--help']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/--demo-power-cut Demo only/);
  });
});
