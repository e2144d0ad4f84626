import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CelResponse, CommandResponse, ErrorResponse, RecipesResponse } from '../../shared/protocol/api.js';
import type { TagInfo } from '../../shared/protocol/entities.js';
import { FAST_PROJECT } from '../support/fixtures.js';
import { getJson, postJson, startRuntimeProcess, userToken, waitFor, type RuntimeProcess } from '../support/runtime-process.js';

let runtime: RuntimeProcess;
let requests = 0;
const tokens: Record<string, string> = {};
const requestId = () => `write-test-${++requests}`;

beforeAll(async () => {
  runtime = await startRuntimeProcess({ args: ['--project', FAST_PROJECT] });
  tokens.eve = await userToken(runtime.url, 'fast', 'eve', 'engineer');
  tokens.max = await userToken(runtime.url, 'fast', 'max', 'engineer');
});
afterAll(async () => {
  expect(await runtime.stop()).toBe(0);
});

const api = (path: string) => `${runtime.url}api/projects/fast/${path}`;
async function tag(id: string): Promise<TagInfo> {
  return (await getJson<{ tags: TagInfo[] }>(api('tags'))).body.tags.find((t) => t.id === id)!;
}
async function recipe() {
  return (await getJson<RecipesResponse>(api('recipes'))).body.recipes[0]!;
}

describe('writes through the Server (standalone runtime, simulated plant)', () => {
  it('writes a setpoint: answered with the outcome, the value is read back, the CEL names the user', async () => {
    const id = requestId();
    const written = await postJson<CommandResponse>(api('tags/Test.Setpoint/write'), { requestId: id, user: 'eve', value: 72.5 }, tokens.eve);
    expect(written).toEqual({ status: 200, body: { applied: true, alarms: [], degraded: false, writes: [{ tag: 'Test.Setpoint', value: 72.5, ok: true, error: null }] } });
    await waitFor(async () => ((await tag('Test.Setpoint')).value === 72.5 ? true : undefined), 5_000, 'the written value read back');
    const cel = await getJson<CelResponse>(api('cel?kind=operator&text=72.5'));
    expect(cel.body.entries.map((e) => [e.user, e.text, e.tag])).toEqual([['eve', 'Test.Setpoint = 72.50 °C written by eve', 'Test.Setpoint']]);
    // The same request again: nothing written again, the first outcome stands.
    const retry = await postJson<CommandResponse>(api('tags/Test.Setpoint/write'), { requestId: id, user: 'eve', value: 72.5 }, tokens.eve);
    expect(retry.body).toMatchObject({ applied: false, writes: [{ tag: 'Test.Setpoint', value: 72.5, ok: true }] });
    expect((await getJson<CelResponse>(api('cel?kind=operator&text=72.5'))).body.entries).toHaveLength(1);
  });

  it.each([
    { case: 'a tag that is not writable', path: 'tags/Sim.Counter/write', body: { value: 1 }, status: 400, message: 'tag Sim.Counter is not writable (the project does not mark it "writable")' },
    { case: 'a value outside the write range', path: 'tags/Test.Setpoint/write', body: { value: 150 }, status: 400, message: 'Test.Setpoint: 150 is outside its write range 0 to 100 °C' },
    { case: 'an unknown tag', path: 'tags/Nope/write', body: { value: 1 }, status: 404, message: 'project "fast" has no tag "Nope"' },
    { case: 'a value that is not a number', path: 'tags/Test.Setpoint/write', body: { value: 'hot' }, status: 400, message: 'value: Invalid input: expected number, received string' },
    { case: 'an unknown recipe', path: 'recipes/nope/download', body: {}, status: 404, message: 'project "fast" has no recipe "nope"' },
  ])('refuses $case ($status) and writes nothing', async ({ path, body, status, message }) => {
    const before = (await getJson<CelResponse>(api('cel?kind=operator'))).body.entries.length;
    const refused = await postJson<ErrorResponse>(api(path), { requestId: requestId(), user: 'eve', ...body }, tokens.eve);
    expect(refused.status).toBe(status);
    expect(refused.body.error.message).toContain(message);
    expect((await getJson<CelResponse>(api('cel?kind=operator'))).body.entries).toHaveLength(before);
  });
});

describe('recipes', () => {
  it('edit, refuse a stale edit, upload the live values, download to the plant: each a version or a write in the CEL', async () => {
    expect(await recipe()).toEqual({ id: 'batch', name: 'Batch', description: 'A test recipe', tags: ['Test.Setpoint', 'Test.Speed'], version: 0, values: { 'Test.Setpoint': 60, 'Test.Speed': 1200 }, t: null, user: null });

    const saved = await postJson<CommandResponse>(api('recipes/batch'), { requestId: requestId(), user: 'eve', baseVersion: 0, values: { 'Test.Setpoint': 65 } }, tokens.eve);
    expect(saved.status).toBe(200);
    expect(await recipe()).toMatchObject({ version: 1, values: { 'Test.Setpoint': 65, 'Test.Speed': 1200 }, user: 'eve' });
    const stale = await postJson<ErrorResponse>(api('recipes/batch'), { requestId: requestId(), user: 'max', baseVersion: 0, values: { 'Test.Setpoint': 66 } }, tokens.max);
    expect(stale.status).toBe(409);
    expect(stale.body.error.message).toBe('recipe "Batch" was changed to version 1 by eve since you opened version 0; reload it and edit again');

    const uploaded = await postJson<CommandResponse>(api('recipes/batch/upload'), { requestId: requestId(), user: 'max', baseVersion: 1 }, tokens.max);
    expect(uploaded.status).toBe(200);
    const live = (await tag('Test.Setpoint')).value;
    expect(await recipe()).toMatchObject({ version: 2, values: { 'Test.Setpoint': live, 'Test.Speed': 1000 }, user: 'max' });

    await postJson(api('recipes/batch'), { requestId: requestId(), user: 'eve', baseVersion: 2, values: { 'Test.Setpoint': 40, 'Test.Speed': 900 } }, tokens.eve);
    const outdated = await postJson<ErrorResponse>(api('recipes/batch/download'), { requestId: requestId(), user: 'eve', version: 2 }, tokens.eve);
    expect(outdated.status).toBe(409);
    const downloaded = await postJson<CommandResponse>(api('recipes/batch/download'), { requestId: requestId(), user: 'eve', version: 3 }, tokens.eve);
    expect(downloaded.body.writes).toEqual([
      { tag: 'Test.Setpoint', value: 40, ok: true, error: null },
      { tag: 'Test.Speed', value: 900, ok: true, error: null },
    ]);
    await waitFor(async () => ((await tag('Test.Speed')).value === 900 ? true : undefined), 5_000, 'the recipe values read back');
    const cel = (await getJson<CelResponse>(api('cel?kind=operator&text=Recipe'))).body.entries.map((e) => e.text);
    expect(cel).toEqual([
      'Recipe "Batch" (version 3) downloaded by eve: 2 values written',
      'Recipe "Batch" edited by eve, version 3: Test.Setpoint 72.50 °C → 40 °C, Test.Speed 1000 rpm → 900 rpm',
      `Recipe "Batch" uploaded from the plant by max, version 2: Test.Setpoint 65 °C → 72.50 °C, Test.Speed 1200 rpm → 1000 rpm`,
      'Recipe "Batch" edited by eve, version 1: Test.Setpoint 60 °C → 65 °C',
    ]);
  });
});
