import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CelResponse, CommandResponse, ErrorResponse, SwitchoversResponse } from '../../shared/protocol/api.js';
import { startPair, type Pair } from '../support/cluster-pair.js';
import { FAST_PROJECT } from '../support/fixtures.js';
import { getJson, postJson, removeDir, startRuntimeProcess, tempDir, userToken, waitFor } from '../support/runtime-process.js';

const dir = tempDir('tandem-role-commands-');
let pair: Pair;
let requests = 0;
/** olga, an engineer made on pc-a: switchovers need that role; her token holds on both nodes. */
let olga: string;

beforeAll(async () => {
  pair = await startPair({ dir, projectFile: FAST_PROJECT, projectId: 'fast', failback: 'automatic' });
  olga = await userToken(pair.nodes['pc-a'].url, 'fast', 'olga', 'engineer');
});
afterAll(async () => {
  await pair.stop();
  removeDir(dir);
});

const post = <T>(node: 'pc-a' | 'pc-b', path: string, body: object) =>
  postJson<T>(`${pair.nodes[node].url}api/projects/fast/${path}`, { requestId: `role-cmd-${++requests}`, user: 'olga', ...body }, olga);

async function roles(): Promise<string> {
  const [a, b] = [await pair.status('pc-a'), await pair.status('pc-b')];
  return `${a.role}/${b.role}`;
}

describe('switchover commands between two real runtimes', () => {
  it('a manual switchover moves the role to pc-b, which stays Server with automatic failback; the CEL on both names the user', async () => {
    const switched = await post<CommandResponse>('pc-a', 'switchover', { to: 'pc-b', comment: 'PC A maintenance' });
    expect(switched).toMatchObject({ status: 200, body: { applied: true } });
    await waitFor(async () => ((await roles()) === 'standby/server' ? true : undefined), 10_000, 'pc-b Server, pc-a Standby');
    expect((await pair.status('pc-b')).roles).toEqual({ preferred: 'pc-b', frozen: false, outOfService: [] });
    for (const node of ['pc-a', 'pc-b'] as const) {
      await waitFor(async () => {
        const cel = await getJson<CelResponse>(`${pair.nodes[node].url}api/projects/fast/cel?kind=operator&text=switched`);
        return cel.body.entries.some((e) => e.text === 'olga switched the Server role over to pc-b (now the preferred Server) — "PC A maintenance"') ? true : undefined;
      }, 10_000, `the switchover in the CEL of ${node}`);
    }
    await new Promise((r) => setTimeout(r, 1_500));
    expect(await roles()).toBe('standby/server');
    // The switchover history, from the log: pc-b started serving in a planned switchover.
    const history = await getJson<SwitchoversResponse>(`${pair.nodes['pc-b'].url}api/projects/fast/switchovers?limit=5`);
    expect(history.body.switchovers[0]).toMatchObject({ node: 'pc-b', reasonCode: 'planned', reason: 'planned switchover from pc-a' });
    expect(history.body.switchovers[0]!.gapMs).toBeGreaterThanOrEqual(0);
    expect(history.body.switchovers.map((c) => c.reasonCode)).toContain('start');
  });

  it('frozen roles refuse a switchover (409) until unfrozen; a Standby asked answers 503 naming the Server', async () => {
    expect((await post('pc-b', 'freeze', { frozen: true })).status).toBe(200);
    const refused = await post<ErrorResponse>('pc-b', 'switchover', { to: 'pc-a' });
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toBe('cannot switch over to pc-a: the roles are frozen (maintenance); unfreeze them first');
    const wrongNode = await post<ErrorResponse>('pc-a', 'switchover', { to: 'pc-b' });
    expect(wrongNode.status).toBe(503);
    expect(wrongNode.body.error).toMatchObject({ code: 'notServer', server: 'pc-b' });
    expect((await post('pc-b', 'freeze', { frozen: false })).status).toBe(200);
  });

  it('making pc-a preferred again moves the role back (automatic failback); taking the Standby out of service shows redundancy degraded', async () => {
    expect((await post('pc-b', 'preferred', { node: 'pc-a' })).status).toBe(200);
    await waitFor(async () => ((await roles()) === 'server/standby' ? true : undefined), 10_000, 'pc-a Server again');
    expect((await post('pc-a', 'nodes/pc-b/service', { inService: false })).status).toBe(200);
    await waitFor(async () => ((await pair.status('pc-a')).degraded ? true : undefined), 5_000, 'redundancy degraded');
    expect((await pair.status('pc-a')).roles.outOfService).toEqual(['pc-b']);
    const refused = await post<ErrorResponse>('pc-a', 'switchover', { to: 'pc-b' });
    expect(refused.body.error.message).toBe('cannot switch over to pc-b: pc-b is out of service; put it back in service first');
    expect((await post('pc-a', 'nodes/pc-b/service', { inService: true })).status).toBe(200);
    await waitFor(async () => ((await pair.status('pc-a')).degraded ? undefined : true), 5_000, 'redundancy whole again');
  });

  it('a viewer or an operator cannot switch (403, naming the role needed); without a login it is 401; nothing moves', async () => {
    const url = `${pair.nodes['pc-a'].url}api/projects/fast/switchover`;
    for (const role of ['viewer', 'operator'] as const) {
      const token = await userToken(pair.nodes['pc-a'].url, 'fast', `${role}-x`, role);
      const refused = await postJson<ErrorResponse>(url, { requestId: `role-cmd-${role}-1`, to: 'pc-b' }, token);
      expect(refused.status).toBe(403);
      expect(refused.body.error.message).toContain('engineer');
    }
    expect((await postJson<ErrorResponse>(url, { requestId: 'role-cmd-anon-1', to: 'pc-b' })).status).toBe(401);
    expect(await roles()).toBe('server/standby');
  });

  it('names what is wrong: an unknown node (404), a body without the node (400), a standalone project (400)', async () => {
    const unknown = await post<ErrorResponse>('pc-a', 'switchover', { to: 'pc-z' });
    expect([unknown.status, unknown.body.error.message]).toEqual([404, 'node "pc-z" is not in this pair (pc-a, pc-b)']);
    const missing = await post<ErrorResponse>('pc-a', 'preferred', {});
    expect([missing.status, missing.body.error.message]).toEqual([400, 'invalid body: node: is missing (expected string)']);
    const alone = await startRuntimeProcess({ args: ['--project', FAST_PROJECT] });
    try {
      const token = await userToken(alone.url, 'fast', 'olga', 'engineer');
      const standalone = await postJson<ErrorResponse>(`${alone.url}api/projects/fast/switchover`, { requestId: 'alone-switch-1', user: 'olga', to: 'pc-b' }, token);
      expect([standalone.status, standalone.body.error.message]).toEqual([400, 'this project runs standalone: pair it with a Standby first']);
    } finally {
      await alone.stop();
    }
  });
});
