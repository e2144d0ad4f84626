import { describe, expect, it } from 'vitest';
import type { AlarmState, AlarmStatus } from '../../../shared/protocol/entities.js';
import { alarmOpId, recipeOpId, type LoggedOp, type RecipeVersion } from '../../../shared/protocol/ops.js';
import type { PeerMessage } from '../../../shared/protocol/peer.js';
import { T0, HEARTBEAT_MS, TIMEOUT_MS, pairNode, deliver, serverAndStandby, fromPeer, heartbeat, samplesInput, commandInput, celOp, writeLog, showEffects, showKinds, repliesOf, appendedOps } from '../../../test/sim/engine-harness.js';
import type { Effect } from './engine-types.js';

describe('a follower aligns its log with the Server', () => {
  /** pc-b starts with `log` and hears pc-a serve in epoch 4; returns it after its first epochQuery. */
  function follower(log: Array<[number, number]>, prefix = 'x') {
    const b = pairNode('pc-b');
    writeLog(b.store, prefix, log);
    b.boot(T0);
    b.outbox = [];
    const effects = b.step(fromPeer(T0 + 10, 'pc-a', 4, heartbeat('server', { server: 'pc-a', seq: 12 })));
    return { b, effects };
  }
  const epochEnd = (epoch: number, endSeq: number) => fromPeer(T0 + 20, 'pc-a', 4, { type: 'epochEnd', epoch, endSeq });

  it.each([
    { case: 'its log is a prefix of the Server\'s', log: [[2, 10]], asks: 2, answer: [2, 10], then: ['send@4 ack 10'] },
    { case: 'it served epoch 3 alone after the common epoch 2', log: [[2, 10], [3, 5]], asks: 3, answer: [2, 10], then: ['handBack@4 after 10'] },
    { case: 'the Server\'s part of epoch 2 ends before ours', log: [[2, 10]], asks: 2, answer: [2, 8], then: ['handBack@4 after 8'] },
    { case: 'the Server answers with an epoch it never had', log: [[1, 5], [3, 5]], asks: 3, answer: [2, 7], then: ['send@4 epochQuery 1'] },
    { case: 'no epoch in common', log: [[3, 5]], asks: 3, answer: [0, 0], then: ['handBack@4 after 0'] },
  ] as Array<{ case: string; log: Array<[number, number]>; asks: number; answer: [number, number]; then: string[] }>)('$case', ({ log, asks, answer, then }) => {
    const { b, effects } = follower(log);
    expect(showEffects(effects)).toEqual(['persistEpoch 4', 'role aligning@4 server=pc-a', `send@4 epochQuery ${asks}`]);
    expect(showEffects(b.step(epochEnd(...answer)))).toEqual(then);
  });

  it('hands back its own ops, and drops them only once the Server has stored all of them', () => {
    const { b } = follower([[2, 10], [3, 5]]);
    b.step(epochEnd(2, 10));
    expect(b.outbox.at(-1)?.message).toMatchObject({ type: 'handback', fromSeq: 10, ops: [{ seq: 11 }, { seq: 12 }, { seq: 13 }, { seq: 14 }, { seq: 15 }] });

    // While aligning, the Server's log is not stored over ours.
    const serverOp: LoggedOp = { ...celOp('a11'), epoch: 4, seq: 11 };
    expect(showEffects(b.step(fromPeer(T0 + 30, 'pc-a', 4, { type: 'append', prevSeq: 10, ops: [serverOp] })))).toEqual([]);

    const handbackAck = (throughSeq: number) => showEffects(b.step(fromPeer(T0 + 40, 'pc-a', 4, { type: 'handbackAck', throughSeq })));
    expect(handbackAck(13)).toEqual(['handBack@4 after 13']);
    expect(b.store.seq).toBe(15);
    expect(handbackAck(15)).toEqual(['truncateAfter 10', 'send@4 ack 10']);
    expect(b.store.seq).toBe(10);

    const next = b.step(fromPeer(T0 + 50, 'pc-a', 4, { type: 'append', prevSeq: 10, ops: [serverOp, { ...celOp('a12'), epoch: 4, seq: 12 }] }));
    expect(showEffects(next)).toEqual(['appendReplicated 11-12', 'send@4 ack 12', 'role standby@4 server=pc-a']);
    expect(b.store.log.map((op) => `${op.epoch}:${op.id}`).slice(-3)).toEqual(['2:x10', '4:a11', '4:a12']);
  });

  it('asks again after a heartbeat interval when an answer is lost', () => {
    const { b } = follower([[2, 10], [3, 5]]);
    const queries = (effects: Effect[]) => showKinds(effects, 'send').filter((line) => line.includes('epochQuery'));
    expect(queries(b.tick(T0 + 10 + HEARTBEAT_MS - 1))).toEqual([]);
    expect(queries(b.tick(T0 + 10 + HEARTBEAT_MS))).toEqual(['send@4 epochQuery 3']);
  });
});

describe('the Server in an alignment', () => {
  /** pc-a with 5 ops of pc-b's epoch 1, serving since in epoch 2 (its promotion op is seq 6). */
  function server() {
    const a = pairNode('pc-a');
    writeLog(a.store, 'x', [[1, 5]]);
    a.boot(T0);
    a.tickUntil(T0 + TIMEOUT_MS);
    a.outbox = [];
    return a;
  }

  it.each([
    { asked: 0, answer: 'epochEnd 0 0' },
    { asked: 1, answer: 'epochEnd 1 5' },
    { asked: 2, answer: 'epochEnd 2 6' },
    { asked: 3, answer: 'epochEnd 2 6' },
    { asked: 7, answer: 'epochEnd 2 6' },
  ])('answers an epochQuery for $asked from its history: $answer', ({ asked, answer }) => {
    const a = server();
    expect(showEffects(a.step(fromPeer(T0 + 1_100, 'pc-b', 2, { type: 'epochQuery', epoch: asked })))).toEqual([`send@2 ${answer}`]);
  });

  it('a follower does not answer an epochQuery', () => {
    const { standby, nowMs } = serverAndStandby();
    expect(showEffects(standby.step(fromPeer(nowMs + 10, 'pc-a', 2, { type: 'epochQuery', epoch: 2 })))).toEqual([]);
  });

  describe('merging a handback', () => {
    /** The Server with the blinker alarm raised at +100; the follower hands back a CEL entry and a status of that alarm. */
    function merge(theirs: { t: number; state: AlarmState; ackUser: string | null }) {
      const { server: a, nowMs } = serverAndStandby();
      a.step(samplesInput(nowMs + 100, 1));
      a.outbox = [];
      const own = a.engine.alarmStatuses()[0]!;
      const status: AlarmStatus = { ...own, state: theirs.state, since: nowMs + theirs.t, ackUser: theirs.ackUser };
      const transition = { alarmId: 'Blink.On', t: nowMs + theirs.t, from: 'unackActive' as const, to: theirs.state, cause: 'operator' as const, value: 1, user: theirs.ackUser, comment: null };
      const alarm: LoggedOp = {
        id: alarmOpId(transition),
        kind: 'alarm',
        t: transition.t,
        transition,
        status,
        cel: { id: alarmOpId(transition), t: transition.t, node: 'pc-b', kind: 'operator', user: theirs.ackUser, text: 'acknowledged', alarmId: 'Blink.On', tag: 'Sim.Blink', state: theirs.state },
        epoch: 1,
        seq: 8,
      };
      const handback: PeerMessage = { type: 'handback', fromSeq: 6, ops: [{ ...celOp('b7'), epoch: 1, seq: 7 }, alarm] };
      const effects = a.step(fromPeer(nowMs + 500, 'pc-b', 2, handback));
      return { a, own, status, effects };
    }

    it('appends the facts without their old positions, then acknowledges the handback', () => {
      const { a, effects } = merge({ t: 300, state: 'ackActive', ackUser: 'bob' });
      expect(showKinds(effects, 'append', 'send')).toEqual(['append@2 cel,alarm', 'send@2 handbackAck 8', 'send@2 append after 3: 4-5']);
      for (const op of appendedOps(effects)) expect(Object.keys(op)).not.toContain('seq');
      for (const op of appendedOps(effects)) expect(Object.keys(op)).not.toContain('epoch');
      expect(a.store.log.slice(-2).map((op) => `${op.epoch}:${op.seq}:${op.id}`)).toEqual([`2:4:b7`, `2:5:${appendedOps(effects)[1]!.id}`]);
    });

    it('keeps its own alarm status when the handed-back one is older', () => {
      const { a, own, effects } = merge({ t: 50, state: 'ackActive', ackUser: 'bob' });
      const alarm = appendedOps(effects).find((op) => op.kind === 'alarm');
      expect(alarm?.kind === 'alarm' && alarm.status).toEqual(own);
      expect(a.engine.alarmStatuses()).toEqual([own]);
    });

    it('a recipe saved as the same version on both sides of a split: the later save stays current and the CEL says so', () => {
      const { server: a, nowMs } = serverAndStandby();
      a.step({ kind: 'command', nowMs: nowMs + 10, logged: false, request: { requestId: 'r-a', user: 'ann', command: { kind: 'recipe', recipeId: 'batch', values: { 'Sim.Setpoint': 61 }, baseVersion: 0, comment: '' } } });
      const theirs: RecipeVersion = { recipeId: 'batch', version: 1, values: { 'Sim.Setpoint': 62 }, t: nowMs + 20, user: 'bob' };
      const cel = { id: 'rcp-b', t: nowMs + 20, node: 'pc-b', kind: 'operator' as const, user: 'bob', text: 'edited', alarmId: null, tag: null, state: null };
      const handback: PeerMessage = { type: 'handback', fromSeq: 6, ops: [{ id: recipeOpId(theirs), kind: 'recipe', t: theirs.t, recipe: theirs, cel, epoch: 1, seq: 7 }] };
      const effects = a.step(fromPeer(nowMs + 500, 'pc-b', 2, handback));
      expect(appendedOps(effects).map((op) => op.kind)).toEqual(['recipe', 'cel']);
      expect(appendedOps(effects)[1]).toMatchObject({
        cel: {
          kind: 'system',
          text:
            'Version 1 of recipe batch was saved on both nodes while they were apart. Current: the later save, by bob, handed back by pc-b ({"Sim.Setpoint":62}). ' +
            'Kept in the log only: the save by ann 10 ms earlier, held by pc-a ({"Sim.Setpoint":61}).',
        },
      });
      expect(a.engine.recipeVersions()).toEqual([theirs]);
    });

    it('takes the handed-back alarm status when it is newer: an acknowledgement is not undone', () => {
      const { a, status, effects } = merge({ t: 300, state: 'ackActive', ackUser: 'bob' });
      const alarm = appendedOps(effects).find((op) => op.kind === 'alarm');
      expect(alarm?.kind === 'alarm' && alarm.status).toEqual(status);
      expect(a.engine.alarmStatuses()).toEqual([status]);
      expect(showEffects(a.step(commandInput(status.since + 100, 'r9')))).toEqual(['reply r9 conflict server=pc-a']);
    });
  });
});

describe('regressions', () => {
  it('a follower still aligning does not acknowledge its divergent log when the link comes back', () => {
    // pc-a serves in epoch 4; pc-b returns with 6 ops of its own epoch 3 after the common op x1.
    const a = pairNode('pc-a');
    writeLog(a.store, 'x', [[2, 1]]);
    a.store.epoch = 3;
    a.boot(T0);
    a.tickUntil(T0 + TIMEOUT_MS);
    a.step(samplesInput(T0 + 1_100, 1));
    const b = pairNode('pc-b');
    writeLog(b.store, 'x', [[2, 1]]);
    writeLog(b.store, 'b', [[3, 6]]);
    b.boot(T0 + 1_100);
    a.outbox = [];
    deliver(b, a, T0 + 1_150);
    a.tick(T0 + 1_150);
    deliver(a, b, T0 + 1_150);
    expect(b.engine.role).toBe('aligning');
    // The alignment messages are lost; pc-a hears that pc-b aligns, and an operator acknowledges the alarm.
    b.outbox = [];
    b.tick(T0 + 1_350);
    deliver(b, a, T0 + 1_350);
    a.outbox = [];
    a.step(commandInput(T0 + 1_400, 'r1'));
    expect(a.store.seq).toBe(6);

    b.step({ kind: 'link', nowMs: T0 + 1_410, up: false });
    const linkBack = b.step({ kind: 'link', nowMs: T0 + 1_420, up: true });
    expect(showKinds(linkBack, 'send').filter((line) => line.includes('ack'))).toEqual([]);
    expect(repliesOf(deliver(b, a, T0 + 1_420))).toEqual([]);
  });
});
