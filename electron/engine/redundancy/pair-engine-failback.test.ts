import { describe, expect, it } from 'vitest';
import type { LoggedOp } from '../../../shared/protocol/ops.js';
import { T0, pairNode, deliver, exchangeUntilQuiet, serverAndStandby, fromPeer, samplesInput, celOp, showEffects, showKinds, appendedOps } from '../../../test/sim/engine-harness.js';
import type { CommandRequest, Effect } from './engine-types.js';

describe('automatic failback', () => {
  it.each([
    { case: 'the non-preferred Server with automatic failback', serves: 'pc-b' as const, failback: 'automatic' as const, handsOver: true },
    { case: 'the non-preferred Server with manual failback', serves: 'pc-b' as const, failback: 'manual' as const, handsOver: false },
    { case: 'the preferred Server', serves: 'pc-a' as const, failback: 'automatic' as const, handsOver: false },
  ])('$case: hands over = $handsOver', ({ serves, failback, handsOver }) => {
    const { server, nowMs } = serverAndStandby(serves, { failback });
    const effects = server.tick(nowMs + 50);
    expect(showKinds(effects, 'send', 'role').filter((line) => !line.includes('heartbeat'))).toEqual(
      handsOver ? [`send@${server.engine.epoch} handover 1`, 'role standby@1 server=pc-a'] : [],
    );
  });

  it('waits until the preferred Standby has acknowledged everything', () => {
    const { server: b, standby: a, nowMs } = serverAndStandby('pc-b', { failback: 'automatic' });
    b.step(samplesInput(nowMs + 10));
    expect(showKinds(b.tick(nowMs + 50), 'role')).toEqual([]);
    exchangeUntilQuiet(b, a, nowMs + 60);
    expect(showKinds(b.tick(nowMs + 100), 'role', 'send')).toEqual(['send@1 handover 2', 'role standby@1 server=pc-a']);
  });

  it('the preferred Standby takes over in a new epoch, and the old Server follows it', () => {
    const { server: b, standby: a, nowMs } = serverAndStandby('pc-b', { failback: 'automatic' });
    b.tick(nowMs + 50);
    const takeover = deliver(b, a, nowMs + 60);
    expect(showEffects(takeover)).toEqual(['persistEpoch 2', 'role server@2 server=pc-a', 'append@2 roleChange', 'send@2 heartbeat server seq=1', 'publish 2-2']);
    expect(appendedOps(takeover)[0]).toMatchObject({ kind: 'roleChange', change: { node: 'pc-a', epoch: 2, reasonCode: 'planned', gapMs: 0 }, cel: { text: 'pc-a serves in epoch 2: planned switchover from pc-b' } });

    for (let t = nowMs + 100; t <= nowMs + 1_000; t += 100) {
      a.step(samplesInput(t));
      a.tick(t);
      b.tick(t);
      exchangeUntilQuiet(a, b, t);
    }
    expect([a.engine.role, b.engine.role, b.engine.epoch]).toEqual(['server', 'standby', 2]);
    expect(b.store.log).toEqual(a.store.log);
  });

  it('the preferred Standby takes over only once its log reaches the handover seq', () => {
    const { standby: a, nowMs } = serverAndStandby('pc-b');
    expect(showEffects(a.step(fromPeer(nowMs + 10, 'pc-b', 1, { type: 'handover', seq: 2 })))).toEqual([]);
    const last: LoggedOp = { ...celOp('b2'), epoch: 1, seq: 2 };
    const effects = a.step(fromPeer(nowMs + 20, 'pc-b', 1, { type: 'append', prevSeq: 1, ops: [last] }));
    expect(showKinds(effects, 'appendReplicated', 'role', 'persistEpoch')).toEqual(['appendReplicated 2-2', 'persistEpoch 2', 'role server@2 server=pc-a']);
  });

  it('a candidate ignores a handover: it has read too little of the plant', () => {
    const a = pairNode('pc-a');
    a.store.epoch = 1;
    a.boot(T0);
    expect(showEffects(a.step(fromPeer(T0 + 10, 'pc-b', 1, { type: 'handover', seq: 0 })))).toEqual([]);
    expect(a.engine.role).toBe('candidate');
  });
});

describe('regressions', () => {
  it('a Server hands over at its log end, not before ops its own tick logged (a shelving that ran out)', () => {
    const { server: b, standby: a, nowMs } = serverAndStandby('pc-b', { failback: 'automatic' });
    const shelve: CommandRequest = { requestId: 'r1', user: 'ann', command: { kind: 'shelve', alarmId: 'Blink.On', durationMs: 99, comment: '' } };
    b.step({ kind: 'command', nowMs: nowMs + 1, request: shelve, logged: false });
    exchangeUntilQuiet(b, a, nowMs + 1);
    // The tick at which the Standby has everything is the one at which the shelving runs out.
    const handovers = (effects: Effect[]) => showKinds(effects, 'send', 'role').filter((line) => !line.includes('heartbeat'));
    const expiry = b.tick(nowMs + 100);
    expect(showKinds(expiry, 'append')).toEqual(['append@1 alarm']);
    expect(handovers(expiry)).toEqual(['send@1 append after 3: 4-4']);
    exchangeUntilQuiet(b, a, nowMs + 100);
    expect(handovers(b.tick(nowMs + 150))).toEqual(['send@1 handover 4', 'role standby@1 server=pc-a']);

    for (let t = nowMs + 150; t <= nowMs + 2_000; t += 50) {
      a.tick(t);
      b.tick(t);
      exchangeUntilQuiet(a, b, t);
    }
    expect([a.engine.role, b.engine.role]).toEqual(['server', 'standby']);
    expect(b.store.log).toEqual(a.store.log);
  });
});
