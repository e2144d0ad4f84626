import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AlarmsResponse, ArchiveResponse, CelResponse, CommandResponse, ErrorResponse, StatusResponse, TagsResponse } from '../../shared/protocol/api.js';
import { FAST_PROJECT } from '../support/fixtures.js';
import { getJson, postJson, removeDir, startRuntimeProcess, userToken, waitFor, type RuntimeProcess } from '../support/runtime-process.js';

let runtime: RuntimeProcess;
let api: string;
const tokens: Record<string, string> = {};

beforeAll(async () => {
  runtime = await startRuntimeProcess({ args: ['--project', FAST_PROJECT, '--node', 'pc-test'] });
  api = `${runtime.url}api/projects/fast`;
  tokens.anna = await userToken(runtime.url, 'fast', 'anna', 'operator');
  tokens.bob = await userToken(runtime.url, 'fast', 'bob', 'operator');
});

afterAll(async () => {
  expect(await runtime.stop()).toBe(0);
  removeDir(runtime.dataDir);
});

const requestId = () => `req-${Math.random().toString(36).slice(2, 12)}`;

describe('a real runtime over HTTP', () => {
  it('reports its node, version and the standalone project with a state hash', async () => {
    const { status, body } = await getJson<StatusResponse>(`${runtime.url}api/status`);
    expect(status).toBe(200);
    expect(body.node).toBe('pc-test');
    expect(body.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(body.projects).toHaveLength(1);
    expect(body.projects[0]).toMatchObject({ id: 'fast', role: 'standalone', server: 'pc-test' });
    expect(body.projects[0]!.stateHash).toMatch(/^[0-9a-f]{8,}$/);
    expect(body.projects[0]!.drivers[0]).toMatchObject({ id: 'Sim', state: 'connected', tags: 6, staleTags: 0, badTags: 0 });
    expect(body.resources.memoryRssMb).toBeGreaterThan(0);
    expect(body.resources.diskFreeMb).toBeGreaterThan(0);
    expect(body.resources.systemMemoryFreePercent).toBeGreaterThan(0);
  });

  it('counts the quality of each driver\'s tags as last read', async () => {
    const driver = await waitFor(async () => {
      const sim = (await getJson<StatusResponse>(`${runtime.url}api/status`)).body.projects[0]!.drivers[0]!;
      return sim.goodTags === 6 ? sim : undefined;
    }, 5_000, 'every simulated tag read good');
    expect(driver).toMatchObject({ errors: 0, errorsPerMinute: 0, staleTags: 0, badTags: 0 });
  });

  it('lists tags with live values', async () => {
    const counter = await waitFor(async () => {
      const { body } = await getJson<TagsResponse>(`${api}/tags`);
      return body.tags.find((tag) => tag.id === 'Sim.Counter' && tag.value !== null);
    });
    expect(counter.q).toBe('good');
    expect(counter.value).toBe(Math.floor(counter.t! / 100));
  });

  it('archives the counter on every 100 ms slot, and buckets it', async () => {
    const from = Math.ceil(Date.now() / 1000) * 1000;
    const to = from + 2000;
    await waitFor(async () => {
      const { body } = await getJson<TagsResponse>(`${api}/tags`);
      const t = body.tags.find((tag) => tag.id === 'Sim.Counter')?.t;
      return t && t >= to ? t : undefined;
    });
    const raw = await getJson<ArchiveResponse>(`${api}/archive?tag=Sim.Counter&from=${from}&to=${to}`);
    expect(raw.status).toBe(200);
    expect(raw.body.samples.map((s) => s.t)).toEqual(Array.from({ length: 21 }, (_, i) => from + i * 100));
    expect(raw.body.samples.every((s) => s.v === s.t / 100)).toBe(true);
    const bucketed = await getJson<ArchiveResponse>(`${api}/archive?tag=Sim.Counter&from=${from}&to=${to - 1}&bucketMs=1000`);
    expect(bucketed.body.buckets).toEqual([
      { t: from, min: from / 100, max: from / 100 + 9, avg: from / 100 + 4.5, count: 10 },
      { t: from + 1000, min: from / 100 + 10, max: from / 100 + 19, avg: from / 100 + 14.5, count: 10 },
    ]);
  });

  it('acknowledges an alarm once per requestId and records who did it in the CEL', async () => {
    await waitFor(async () => {
      const { body } = await getJson<AlarmsResponse>(`${api}/alarms`);
      return body.alarms.find((a) => a.alarmId === 'Trip.Active' && a.state === 'unackActive');
    });
    const id = requestId();
    const first = await postJson<CommandResponse>(`${api}/alarms/Trip.Active/ack`, { requestId: id, user: 'anna', comment: 'checked on site' }, tokens.anna);
    expect(first.status).toBe(200);
    expect(first.body.applied).toBe(true);
    expect(first.body.alarms[0]).toMatchObject({ alarmId: 'Trip.Active', state: 'ackActive', ackUser: 'anna' });

    const retry = await postJson<CommandResponse>(`${api}/alarms/Trip.Active/ack`, { requestId: id, user: 'anna', comment: 'checked on site' }, tokens.anna);
    expect(retry.status).toBe(200);
    expect(retry.body.applied).toBe(false);

    const again = await postJson<ErrorResponse>(`${api}/alarms/Trip.Active/ack`, { requestId: requestId(), user: 'bob' }, tokens.bob);
    expect(again.status).toBe(409);
    expect(again.body.error.message).toContain('already acknowledged');

    const cel = await getJson<CelResponse>(`${api}/cel?kind=operator&text=Unit%20tripped`);
    const acks = cel.body.entries.filter((e) => e.alarmId === 'Trip.Active');
    expect(acks).toHaveLength(1);
    expect(acks[0]).toMatchObject({ user: 'anna', node: 'pc-test', state: 'ackActive' });
    expect(acks[0]!.text).toContain('acknowledged by anna');
  });

  it('shelves an alarm and unshelves it, each in the CEL', async () => {
    const shelved = await postJson<CommandResponse>(`${api}/alarms/Blink.On/shelve`, { requestId: requestId(), user: 'anna', durationMs: 60_000 }, tokens.anna);
    expect(shelved.status).toBe(200);
    expect(shelved.body.alarms[0]).toMatchObject({ state: 'shelved' });
    expect(shelved.body.alarms[0]!.shelvedUntil).toBeGreaterThan(Date.now() + 50_000);
    const unshelved = await postJson<CommandResponse>(`${api}/alarms/Blink.On/unshelve`, { requestId: requestId(), user: 'anna' }, tokens.anna);
    expect(unshelved.body.alarms[0]!.state).not.toBe('shelved');
    const cel = await getJson<CelResponse>(`${api}/cel?kind=operator&text=Blinker`);
    expect(cel.body.entries.map((e) => e.text)).toEqual([
      expect.stringContaining('unshelved by anna'),
      expect.stringContaining('shelved by anna for 1 min'),
    ]);
  });

  it('pages the CEL forwards and backwards without gaps or repeats', async () => {
    const newest = await getJson<CelResponse>(`${api}/cel?limit=3`);
    expect(newest.body.entries).toHaveLength(3);
    const seqs = newest.body.entries.map((e) => e.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => b - a));
    const older = await getJson<CelResponse>(`${api}/cel?limit=3&before=${newest.body.next}`);
    expect(older.body.entries[0]!.seq).toBeLessThan(seqs[2]!);
    const forward = await getJson<CelResponse>(`${api}/cel?after=${older.body.entries[2]!.seq - 1}&limit=6`);
    const forwardSeqs = forward.body.entries.map((e) => e.seq);
    expect(forwardSeqs).toEqual([...forwardSeqs].sort((a, b) => a - b));
    expect(forwardSeqs.slice(0, 3)).toEqual(older.body.entries.map((e) => e.seq).reverse());
  });
});

describe('bad requests get a clear answer and change nothing', () => {
  const cases: Array<[string, () => Promise<{ status: number; body: unknown }>, number, RegExp]> = [
    ['invalid JSON', () => postJson(`${api}/alarms/Trip.Active/ack`, '{"requestId": ', tokens.anna), 400, /not valid JSON/],
    ['a missing requestId', () => postJson(`${api}/alarms/Trip.Active/ack`, { user: 'anna' }, tokens.anna), 400, /requestId/],
    ['an unknown field', () => postJson(`${api}/alarms/Trip.Active/ack`, { requestId: 'abcdefgh1', user: 'anna', force: true }, tokens.anna), 400, /force/],
    ['an oversized body', () => postJson(`${api}/alarms/Trip.Active/ack`, { requestId: 'abcdefgh1', user: 'anna', comment: 'x'.repeat(70_000) }, tokens.anna), 413, /larger than/],
    ['an unknown project', () => getJson(`${runtime.url}api/projects/nope/tags`), 404, /no project "nope"/],
    ['an unknown alarm', () => postJson(`${api}/alarms/Nope/ack`, { requestId: 'abcdefgh1', user: 'anna' }, tokens.anna), 404, /no alarm "Nope"/],
    ['an unknown alarm in a bulk ack', () => postJson(`${api}/alarms/ack`, { requestId: 'abcdefgh2', user: 'anna', alarmIds: ['Nope'] }, tokens.anna), 404, /unknown alarm "Nope"/],
    ['a shelve that is too long', () => postJson(`${api}/alarms/Level.H/shelve`, { requestId: 'abcdefgh3', user: 'anna', durationMs: 1e9 }, tokens.anna), 400, /durationMs/],
    ['an archive range backwards', () => getJson(`${api}/archive?tag=Sim.Counter&from=2000&to=1000`), 400, /to must not be before from/],
    ['an archive of an unknown tag', () => getJson(`${api}/archive?tag=Nope&from=0&to=1`), 404, /no tag "Nope"/],
    ['too many buckets', () => getJson(`${api}/archive?tag=Sim.Counter&from=0&to=100000000&bucketMs=1`), 400, /bucketMs is too small/],
    ['an unknown query parameter', () => getJson(`${api}/cel?colour=red`), 400, /colour/],
    ['a CEL page too large', () => getJson(`${api}/cel?limit=100000`), 400, /limit/],
    ['an unknown endpoint', () => getJson(`${runtime.url}api/nothing`), 404, /no API endpoint/],
    ['a wrong method', () => postJson(`${runtime.url}api/status`, {}), 405, /not allowed/],
  ];
  it.each(cases)('%s', async (_name, request, status, message) => {
    const before = await getJson<StatusResponse>(`${runtime.url}api/status`);
    const { status: got, body } = await request();
    expect(got).toBe(status);
    expect((body as ErrorResponse).error.message).toMatch(message);
    const cel = await getJson<CelResponse>(`${api}/cel?after=${before.body.projects[0]!.seq}&kind=operator`);
    expect(cel.body.entries).toEqual([]);
  });
});
