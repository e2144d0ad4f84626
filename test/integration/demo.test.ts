import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ProjectStatus, StatusResponse } from '../../shared/protocol/api.js';
import { startDemoProcess, type DemoProcess } from '../support/demo-process.js';
import { getJson, removeDir, runTandem, tempDir, waitFor } from '../support/runtime-process.js';

const dir = tempDir('tandem-demo-');
let demo: DemoProcess | null = null;
afterAll(async () => {
  await demo?.stop();
  removeDir(dir);
});

async function role(port: number): Promise<ProjectStatus['role'] | undefined> {
  return (await getJson<StatusResponse>(`http://127.0.0.1:${port}/api/status`)).body.projects[0]?.role;
}

async function refused(port: number): Promise<boolean> {
  return fetch(`http://127.0.0.1:${port}/api/status`).then(
    () => false,
    (error: { cause?: { code?: string } }) => error.cause?.code === 'ECONNREFUSED',
  );
}

describe('tandem demo', () => {
  it('runs a Server and a Standby, kills and restarts them from the keyboard, and quits cleanly', async () => {
    demo = await startDemoProcess(join(dir, 'pair'));
    const { portA, portB, output, keys } = demo;

    await waitFor(async () => ((await role(portA)) === 'server' && (await role(portB)) === 'standby' ? true : undefined), 30_000, 'pc-a Server and pc-b Standby');
    await waitFor(() => (output().includes('press a then Enter') ? true : undefined), 20_000, 'the key help');
    expect(output()).toContain(`open http://127.0.0.1:${portA}/ — the Server; pc-b at http://127.0.0.1:${portB}/ is its Standby`);
    expect(output()).toMatch(/stop pc-a with: kill \d+/);
    expect(output()).toContain('click "Cut power to pc-a" under Redundancy on the Overview page: pc-a comes back by itself 8 s later');
    expect(output()).toContain(`pc-a | Tandem listening on http://127.0.0.1:${portA}/`);
    expect(output()).toContain(`pc-b | Tandem listening on http://127.0.0.1:${portB}/`);

    keys('a');
    await waitFor(async () => ((await role(portB)) === 'server' ? true : undefined), 20_000, 'pc-b to take over');
    expect(await refused(portA)).toBe(true);
    // Killed from the keyboard, pc-a stays down until r: only a power cut from the UI comes back by itself.
    await waitFor(() => (output().includes('-- pc-a was stopped by SIGKILL; press r then Enter to restart it') ? true : undefined), 5_000, 'the restart hint');
    expect(output()).not.toContain('-- pc-a lost power');

    keys('r');
    await waitFor(async () => ((await role(portA)) === 'server' && (await role(portB)) === 'standby' ? true : undefined), 30_000, 'failback to pc-a');

    keys('q');
    expect(await demo.exitCode).toBe(0);
    expect(await refused(portA)).toBe(true);
    expect(await refused(portB)).toBe(true);
  });

  it.each([
    [['demo', '--base-port', 'seven'], /--base-port must be a whole number from 1 to 65534, got "seven"/],
    [['demo', '--port-b', '70000'], /--port-b must be .* got "70000"/],
    [['demo', '--port-a', '7300', '--port-b', '7300'], /--port-a and --port-b must differ/],
    [['demo', '--colour', 'red'], /Unknown option '--colour'/],
  ])('refuses %j with one line that names the flag', (args, message) => {
    const { code, stderr } = runTandem(args);
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
    expect(stderr.trim().split('\n')).toHaveLength(1);
  });

  it('is listed in the help, with its own flags under "tandem help demo"', () => {
    expect(runTandem(['--help']).stdout).toMatch(/^ {2}demo {4}/m);
    const { code, stdout } = runTandem(['help', 'demo']);
    expect(code).toBe(0);
    for (const flag of ['--base-port', '--port-a', '--port-b', '--data', '--help']) expect(stdout).toContain(flag);
  });
});
