import { describe, expect, it } from 'vitest';
import { deliver, serverAndStandby, fromPeer, samplesInput, showEffects, showKinds } from '../../../test/sim/engine-harness.js';

describe('replication from the Server', () => {
  it('streams each persisted op to a live Standby, which stores and acknowledges it', () => {
    const { server, standby, nowMs } = serverAndStandby();
    expect(showEffects(server.step(samplesInput(nowMs + 100)))).toEqual(['append@2 samples', 'values', 'publish 2-2', 'send@2 append after 1: 2-2']);
    expect(showEffects(deliver(server, standby, nowMs + 100))).toEqual(['appendReplicated 2-2', 'send@2 ack 2']);
    expect(showEffects(deliver(standby, server, nowMs + 100))).toEqual([]);
    expect(standby.store.log).toEqual(server.store.log);
  });

  it('does not ship again while the Standby only repeats its position, but once nothing progresses for a while', () => {
    const { server, nowMs } = serverAndStandby();
    server.step(samplesInput(nowMs + 100));
    server.step(samplesInput(nowMs + 200));
    const ack = (at: number, seq: number) => showEffects(server.step(fromPeer(at, 'pc-b', 2, { type: 'ack', seq })));
    expect(ack(nowMs + 210, 2)).toEqual([]);
    // Its heartbeats acknowledge too while it works on seq 3: no reason to queue seq 3 twice.
    expect(ack(nowMs + 220, 2)).toEqual([]);
    // Nothing for longer than 2 x heartbeatMs and 4 x its last answer (110 ms): seq 3 was lost.
    expect(showKinds(server.tickUntil(nowMs + 600), 'shipFrom')).toEqual([]);
    expect(showKinds(server.tickUntil(nowMs + 700), 'shipFrom')).toEqual(['shipFrom@2 2']);
    // Catching up: new ops are not streamed; each ack that progresses asks for what follows, until the log end.
    expect(showKinds(server.step(samplesInput(nowMs + 750)), 'send', 'shipFrom')).toEqual([]);
    expect(ack(nowMs + 760, 3)).toEqual(['shipFrom@2 3']);
    expect(ack(nowMs + 770, 4)).toEqual([]);
    expect(showKinds(server.step(samplesInput(nowMs + 800)), 'send')).toEqual(['send@2 append after 4: 5-5']);
  });

  it('ships a Standby that lags from its ack, and streams live once an ack reaches the log end', () => {
    const { server, nowMs } = serverAndStandby();
    server.outbox = [];
    server.step({ kind: 'link', nowMs, up: false });
    for (let t = nowMs + 100; t <= nowMs + 300; t += 100) expect(showKinds(server.step(samplesInput(t)), 'send')).toEqual([]);
    server.step({ kind: 'link', nowMs: nowMs + 300, up: true });
    expect(showEffects(server.step(fromPeer(nowMs + 310, 'pc-b', 2, { type: 'ack', seq: 1 })))).toEqual(['shipFrom@2 1']);
    expect(server.outbox.at(-1)?.message).toMatchObject({ type: 'append', prevSeq: 1, ops: [{ seq: 2 }, { seq: 3 }, { seq: 4 }] });
    expect(showEffects(server.step(fromPeer(nowMs + 320, 'pc-b', 2, { type: 'ack', seq: 4 })))).toEqual([]);
    expect(showKinds(server.step(samplesInput(nowMs + 400)), 'send')).toEqual(['send@2 append after 4: 5-5']);
  });

  it('a Standby that misses ops says where it is instead of storing past a gap', () => {
    const { server, standby, nowMs } = serverAndStandby();
    server.step(samplesInput(nowMs + 100));
    server.outbox = [];
    server.step(samplesInput(nowMs + 200));
    expect(showEffects(deliver(server, standby, nowMs + 200))).toEqual(['send@2 ack 1']);
    // The Server learns it at its next patience check (a lost append cannot happen on one TCP link).
    expect(showEffects(deliver(standby, server, nowMs + 200))).toEqual([]);
    expect(showKinds(server.tickUntil(nowMs + 800), 'shipFrom')).toEqual(['shipFrom@2 1']);
    expect(showKinds(deliver(server, standby, nowMs + 800), 'appendReplicated')).toEqual(['appendReplicated 2-3']);
  });
});
