import { afterAll, describe, expect, it } from 'vitest';
import type { ArchiveResponse, CelResponse, CommandResponse, ErrorResponse, LoginResponse, ProjectStatus, StatusResponse, UsersResponse } from '../../shared/protocol/api.js';
import type { TagInfo } from '../../shared/protocol/entities.js';
import { FAST_PROJECT } from '../support/fixtures.js';
import { startPair } from '../support/cluster-pair.js';
import { ADMIN_PASSWORD, getJson, login, postJson, removeDir, tempDir, userToken, waitFor, type RuntimeProcess } from '../support/runtime-process.js';

const dir = tempDir('tandem-pair-');
const started: RuntimeProcess[] = [];
const tokens: Record<string, string> = {};
afterAll(async () => {
  // A clean stop (exit 0) of every node still running; the one killed on purpose reports no code.
  for (const runtime of started) expect([0, null]).toContain(await runtime.stop());
  removeDir(dir);
});

async function status(runtime: RuntimeProcess): Promise<ProjectStatus> {
  return (await getJson<StatusResponse>(`${runtime.url}api/status`)).body.projects[0]!;
}

describe('a Server and a Standby as real processes on loopback', () => {
  it('replicates, takes over after SIGKILL with every archive slot kept, and hands the role back on return', async () => {
    const pair = await startPair({ dir, projectFile: FAST_PROJECT, projectId: 'fast', failback: 'automatic' });
    started.push(pair.nodes['pc-a'], pair.nodes['pc-b']);
    let a = pair.nodes['pc-a'];
    const b = pair.nodes['pc-b'];
    expect((await status(b)).peer).toMatchObject({ node: 'pc-a', link: 'up' });
    // A user made on the Server: replicated, and signed in on pc-a its token holds on pc-b after the takeover.
    tokens.ines = await userToken(a.url, 'fast', 'ines', 'engineer');

    // An acknowledgement confirmed by the Server is on the Standby too.
    const ack = await postJson<CommandResponse>(`${a.url}api/projects/fast/alarms/Trip.Active/ack`, { requestId: 'pair-ack-1', user: 'ines' }, tokens.ines);
    expect(ack.status).toBe(200);
    expect(ack.body).toMatchObject({ applied: true, degraded: false });
    const onStandby = await getJson<CelResponse>(`${b.url}api/projects/fast/cel?kind=operator&text=acknowledged%20by%20ines`);
    expect(onStandby.body.entries).toHaveLength(1);

    // A setpoint written through the Server: replicated, and the Standby's simulated plant follows it.
    const write = await postJson<CommandResponse>(`${a.url}api/projects/fast/tags/Test.Setpoint/write`, { requestId: 'pair-write-1', user: 'ines', value: 33 }, tokens.ines);
    expect(write.body).toMatchObject({ applied: true, degraded: false, writes: [{ tag: 'Test.Setpoint', value: 33, ok: true }] });
    const writeOnStandby = await getJson<CelResponse>(`${b.url}api/projects/fast/cel?kind=operator&text=written`);
    expect(writeOnStandby.body.entries.map((e) => e.text)).toEqual(['Test.Setpoint = 33 °C written by ines']);
    // Asked of the Standby, a write names the Server.
    const onWrongNode = await postJson<ErrorResponse>(`${b.url}api/projects/fast/tags/Test.Setpoint/write`, { requestId: 'pair-write-2', user: 'ines', value: 34 }, tokens.ines);
    expect(onWrongNode.status).toBe(503);
    expect(onWrongNode.body.error).toMatchObject({ code: 'notServer', server: 'pc-a' });

    await new Promise((r) => setTimeout(r, 1_500));
    const killedAt = Date.now();
    const epochBefore = (await status(b)).epoch;
    a.child.kill('SIGKILL');
    await waitFor(async () => ((await status(b)).role === 'server' ? true : undefined), 10_000, 'pc-b to take over');
    expect((await status(b)).epoch).toBeGreaterThan(epochBefore);
    const retry = await postJson<CommandResponse>(`${b.url}api/projects/fast/alarms/Trip.Active/ack`, { requestId: 'pair-ack-1', user: 'ines' }, tokens.ines);
    expect(retry.body.applied).toBe(false);
    const retriedWrite = await postJson<CommandResponse>(`${b.url}api/projects/fast/tags/Test.Setpoint/write`, { requestId: 'pair-write-1', user: 'ines', value: 33 }, tokens.ines);
    expect(retriedWrite.body).toMatchObject({ applied: false, writes: [{ tag: 'Test.Setpoint', value: 33, ok: true }] });
    // The new Server's own simulated plant holds the value pc-a wrote.
    await waitFor(async () => {
      const tags = (await getJson<{ tags: TagInfo[] }>(`${b.url}api/projects/fast/tags`)).body.tags;
      return tags.find((t) => t.id === 'Test.Setpoint')?.value === 33 ? true : undefined;
    }, 5_000, 'the setpoint on pc-b');
    const takeover = await getJson<CelResponse>(`${b.url}api/projects/fast/cel?kind=system&text=serves%20in%20epoch`);
    expect(takeover.body.entries[0]!.text).toMatch(/pc-b serves in epoch \d+: pc-a silent for \d+ ms/);
    // The users came by replication: the new Server signs ines in, and knows the one admin pc-a created.
    const onNewServer = await postJson<LoginResponse>(`${b.url}api/login`, { user: 'ines', password: 'ines-password' });
    expect(onNewServer.body).toMatchObject({ user: 'ines', role: 'engineer' });
    const users = await getJson<UsersResponse>(`${b.url}api/projects/fast/users`, await login(b.url, 'admin', ADMIN_PASSWORD));
    expect(users.body.users.map((u) => [u.name, u.role, u.by])).toEqual([['admin', 'administrator', 'system'], ['ines', 'engineer', 'admin']]);
    const admins = await getJson<CelResponse>(`${b.url}api/projects/fast/cel?text=User%20admin%20created`);
    expect(admins.body.entries).toHaveLength(1);

    // Every 100 ms slot of the counter, from before the kill to after the takeover, exactly once.
    const from = Math.floor((killedAt - 2_000) / 100) * 100;
    const to = from + 4_000;
    await waitFor(async () => ((await getJson<ArchiveResponse>(`${b.url}api/projects/fast/archive?tag=Sim.Counter&from=${to}&to=${to}`)).body.samples.length === 1 ? true : undefined));
    const archive = await getJson<ArchiveResponse>(`${b.url}api/projects/fast/archive?tag=Sim.Counter&from=${from}&to=${to}`);
    expect(archive.body.samples.map((s) => s.t)).toEqual(Array.from({ length: 41 }, (_, i) => from + i * 100));

    // The old Server returns, aligns, and takes its role back; then both hold the same data.
    a = await pair.start('pc-a');
    started.push(a);
    await waitFor(async () => ((await status(a)).role === 'server' && (await status(b)).role === 'standby' ? true : undefined), 20_000, 'failback to pc-a');
    await waitFor(async () => {
      const [sa, sb] = await Promise.all([status(a), status(b)]);
      return sa.stateHash === sb.stateHash && sa.seq === sb.seq ? true : undefined;
    }, 20_000, 'equal state hashes');
    const afterFailback = await getJson<ArchiveResponse>(`${a.url}api/projects/fast/archive?tag=Sim.Counter&from=${from}&to=${to}`);
    expect(afterFailback.body.samples).toEqual(archive.body.samples);
  });
});
