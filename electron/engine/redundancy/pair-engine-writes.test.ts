import { describe, expect, it } from 'vitest';
import { TIMEOUT_MS, appendedOps, deliver, exchangeUntilQuiet, repliesOf, serverAndStandby, showEffects, showKinds, type HarnessNode } from '../../../test/sim/engine-harness.js';
import type { OperatorCommand, WriteOutcome } from '../../../shared/protocol/ops.js';
import type { EngineInput } from './engine-types.js';
import { WRITE_REDO_WINDOW_MS } from './role-changes.js';

const setpoint = (value: number): OperatorCommand => ({ kind: 'write', writes: [{ tag: 'Sim.Setpoint', value }], recipe: null, comment: '' });
const command = (nowMs: number, requestId: string, cmd: OperatorCommand, logged = false, loggedOutcomes: WriteOutcome[] | null = null): EngineInput => ({
  kind: 'command',
  nowMs,
  request: { requestId, user: 'eve', command: cmd },
  logged,
  loggedOutcomes,
});
const written = (nowMs: number, requestId: string, value: number, error: string | null = null): EngineInput => ({
  kind: 'written',
  nowMs,
  requestId,
  outcomes: [{ tag: 'Sim.Setpoint', value, ok: error === null, error }],
});
const results = (node: HarnessNode) => node.store.log.filter((op) => op.kind === 'writeResult');

describe('writes go through the Server, once', () => {
  it('the Server writes once the Standby holds the command, and answers once it holds the outcome', () => {
    const { server, standby, nowMs } = serverAndStandby();
    expect(showEffects(server.step(command(nowMs + 10, 'w1', setpoint(42))))).toEqual(['append@2 command', 'publish 2-2', 'send@2 append after 1: 2-2']);
    deliver(server, standby, nowMs + 20);
    expect(showKinds(deliver(standby, server, nowMs + 30), 'write', 'reply')).toEqual(['write w1 Sim.Setpoint=42']);
    const done = server.step(written(nowMs + 40, 'w1', 42));
    expect(showEffects(done)).toEqual(['append@2 writeResult', 'publish 3-3', 'send@2 append after 2: 3-3']);
    expect(appendedOps(done)[0]).toMatchObject({ kind: 'writeResult', cel: { kind: 'operator', user: 'eve', text: 'Sim.Setpoint = 42 written by eve', tag: 'Sim.Setpoint' } });
    deliver(server, standby, nowMs + 50);
    const answered = deliver(standby, server, nowMs + 60);
    expect(repliesOf(answered)[0]?.reply).toEqual({ ok: true, applied: true, alarms: [], degraded: false, writes: [{ tag: 'Sim.Setpoint', value: 42, ok: true, error: null }] });
  });

  it('a driver that refuses is logged and answered as such; the command is done', () => {
    const { server, standby, nowMs } = serverAndStandby();
    server.step(command(nowMs + 10, 'w1', setpoint(42)));
    exchangeUntilQuiet(server, standby, nowMs + 20);
    const done = server.step(written(nowMs + 40, 'w1', 42, 'the server refused the write'));
    expect(appendedOps(done)[0]).toMatchObject({ cel: { text: 'Sim.Setpoint = 42, written by eve: failed (Sim.Setpoint: the server refused the write)' } });
    exchangeUntilQuiet(server, standby, nowMs + 50);
    expect(results(standby)).toHaveLength(1);
  });

  it('the Server killed between confirming and writing: the new Server writes it once, and a retry gets its outcome', () => {
    const { server, standby, nowMs } = serverAndStandby();
    server.step(command(nowMs + 10, 'w1', setpoint(42)));
    exchangeUntilQuiet(server, standby, nowMs + 20);
    // pc-a had the write effect but dies before the drivers answer. pc-b takes over and writes it.
    const takeover = standby.tickUntil(nowMs + 20 + TIMEOUT_MS + 100);
    expect(standby.engine.role).toBe('server');
    expect(showKinds(takeover, 'write')).toEqual(['write w1 Sim.Setpoint=42']);
    expect(showEffects(standby.step(command(nowMs + 1_200, 'w1', setpoint(42), true)))).toEqual([]);
    standby.step(written(nowMs + 1_300, 'w1', 42));
    expect(results(standby)).toHaveLength(1);
    const retry = standby.step(command(nowMs + 1_400, 'w1', setpoint(42), true, [{ tag: 'Sim.Setpoint', value: 42, ok: true, error: null }]));
    expect(repliesOf(retry)[0]?.reply).toMatchObject({ ok: true, applied: false, writes: [{ tag: 'Sim.Setpoint', value: 42, ok: true }] });
    expect(showKinds(standby.tickUntil(nowMs + 5_000), 'write')).toEqual([]);
  });

  it(`a write its Server never finished is not written by a Server that starts more than ${WRITE_REDO_WINDOW_MS / 1000} s later: it is logged as not written`, () => {
    const { server, standby, nowMs } = serverAndStandby();
    server.step(command(nowMs + 10, 'w1', setpoint(42)));
    exchangeUntilQuiet(server, standby, nowMs + 20);
    standby.step({ kind: 'link', nowMs: nowMs + 30, up: false });
    // pc-b stood still past the window (the stall guard keeps it from counting that as the Server's silence).
    const late = nowMs + WRITE_REDO_WINDOW_MS + 5_000;
    const effects = [...standby.tick(late), ...standby.tickUntil(late + TIMEOUT_MS + 2 * 200)];
    expect(standby.engine.role).toBe('server');
    expect(showKinds(effects, 'write')).toEqual([]);
    expect(results(standby)).toMatchObject([{ requestId: 'w1', outcomes: [], cel: { text: expect.stringContaining('Sim.Setpoint = 42, written by eve: not written, its Server stopped before writing it') } }]);
  });

  it.each([
    { case: 'a tag that is not writable', cmd: { kind: 'write', writes: [{ tag: 'Sim.Counter', value: 1 }], recipe: null, comment: '' }, reply: 'reply w1 invalid server=pc-a' },
    { case: 'a value outside the write range', cmd: setpoint(101), reply: 'reply w1 invalid server=pc-a' },
    { case: 'an unknown tag', cmd: { kind: 'write', writes: [{ tag: 'Nope', value: 1 }], recipe: null, comment: '' }, reply: 'reply w1 notFound server=pc-a' },
    { case: 'an unknown recipe', cmd: { kind: 'write', writes: [], recipe: { id: 'nope', version: null }, comment: '' }, reply: 'reply w1 notFound server=pc-a' },
  ] as Array<{ case: string; cmd: OperatorCommand; reply: string }>)('the Server refuses $case without logging or writing anything', ({ cmd, reply }) => {
    const { server, nowMs } = serverAndStandby();
    const seq = server.store.seq;
    expect(showEffects(server.step(command(nowMs + 10, 'w1', cmd)))).toEqual([reply]);
    expect(server.store.seq).toBe(seq);
  });
});

describe('recipes', () => {
  const save = (values: Record<string, number> | null, baseVersion: number): OperatorCommand => ({ kind: 'recipe', recipeId: 'batch', values, baseVersion, comment: '' });

  it('an edit makes the next version, replicated with its CEL entry; a download writes that version', () => {
    const { server, standby, nowMs } = serverAndStandby();
    const edited = server.step(command(nowMs + 10, 'r1', save({ 'Sim.Setpoint': 65 }, 0)));
    expect(appendedOps(edited).map((op) => op.kind)).toEqual(['command', 'recipe']);
    expect(appendedOps(edited)[1]).toMatchObject({ recipe: { recipeId: 'batch', version: 1, values: { 'Sim.Setpoint': 65 }, user: 'eve' }, cel: { text: 'Recipe "Batch" edited by eve, version 1: Sim.Setpoint 60 → 65' } });
    exchangeUntilQuiet(server, standby, nowMs + 20);
    expect(standby.engine.recipeVersions()).toMatchObject([{ recipeId: 'batch', version: 1, values: { 'Sim.Setpoint': 65 } }]);
    server.step(command(nowMs + 30, 'd1', { kind: 'write', writes: [], recipe: { id: 'batch', version: 1 }, comment: '' }));
    deliver(server, standby, nowMs + 40);
    expect(showKinds(deliver(standby, server, nowMs + 50), 'write')).toEqual(['write d1 Sim.Setpoint=65']);
  });

  it('saving over a newer version, or downloading a version that is no longer current, is refused (409)', () => {
    const { server, nowMs } = serverAndStandby();
    server.step(command(nowMs + 10, 'r1', save({ 'Sim.Setpoint': 65 }, 0)));
    expect(showEffects(server.step(command(nowMs + 20, 'r2', save({ 'Sim.Setpoint': 70 }, 0))))).toEqual(['reply r2 conflict server=pc-a']);
    expect(showEffects(server.step(command(nowMs + 30, 'd1', { kind: 'write', writes: [], recipe: { id: 'batch', version: 0 }, comment: '' })))).toEqual(['reply d1 conflict server=pc-a']);
  });

  it('an upload takes the live values the Server reads', () => {
    const { server, nowMs } = serverAndStandby();
    server.step({ kind: 'samples', nowMs: nowMs + 5, driver: 'Sim', samples: [{ tag: 'Sim.Setpoint', t: nowMs + 5, v: 57, q: 'good' }] });
    const uploaded = server.step(command(nowMs + 10, 'u1', save(null, 0)));
    expect(appendedOps(uploaded)[1]).toMatchObject({ recipe: { version: 1, values: { 'Sim.Setpoint': 57 } }, cel: { text: 'Recipe "Batch" uploaded from the plant by eve, version 1: Sim.Setpoint 60 → 57' } });
  });

  it('an upload without a good live value is refused and names the tag', () => {
    const { server, nowMs } = serverAndStandby();
    const refused = repliesOf(server.step(command(nowMs + 10, 'u1', save(null, 0))));
    expect(refused[0]?.reply).toMatchObject({ ok: false, code: 'conflict', message: 'cannot upload: tag Sim.Setpoint has no good live value (nothing read yet)' });
  });
});

