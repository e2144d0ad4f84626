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

  it('resends from the acknowledged seq when the same ack comes twice while more is in flight', () => {
    const { server, nowMs } = serverAndStandby();
    server.step(samplesInput(nowMs + 100));
    server.step(samplesInput(nowMs + 200));
    const ack = (seq: number) => showEffects(server.step(fromPeer(nowMs + 210, 'pc-b', 2, { type: 'ack', seq })));
    expect(ack(2)).toEqual([]);
    expect(ack(2)).toEqual(['shipFrom@2 2']);
    // Catching up: new ops are not streamed; each ack asks for what follows it, until the log end.
    expect(showKinds(server.step(samplesInput(nowMs + 300)), 'send', 'shipFrom')).toEqual([]);
    expect(ack(3)).toEqual(['shipFrom@2 3']);
    expect(ack(4)).toEqual([]);
    expect(showKinds(server.step(samplesInput(nowMs + 400)), 'send')).toEqual(['send@2 append after 4: 5-5']);
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
    expect(showEffects(deliver(standby, server, nowMs + 200))).toEqual(['shipFrom@2 1']);
    expect(showEffects(deliver(server, standby, nowMs + 200))).toEqual(['appendReplicated 2-3', 'send@2 ack 3']);
  });
});
