import { describe, expect, it } from 'vitest';
import type { LoggedOp } from '../../../shared/protocol/ops.js';
import type { PeerMessage } from '../../../shared/protocol/peer.js';
import { T0, HEARTBEAT_MS, TIMEOUT_MS, type NodeName, peerOf, pairNode, deliver, exchangeUntilQuiet, serverAndStandby, fromPeer, heartbeat, samplesInput, commandInput, showEffects, showKinds, appendedOps } from '../../../test/sim/engine-harness.js';
import type { Effect } from './engine-types.js';
import { candidateAloneMs } from './pair-engine.js';

describe('a candidate alone', () => {
  it.each([
    { self: 'pc-a' as const, storedEpoch: 0, epoch: 2 },
    { self: 'pc-b' as const, storedEpoch: 0, epoch: 1 },
    { self: 'pc-a' as const, storedEpoch: 2, epoch: 4 },
    { self: 'pc-a' as const, storedEpoch: 3, epoch: 4 },
    { self: 'pc-b' as const, storedEpoch: 2, epoch: 3 },
    { self: 'pc-b' as const, storedEpoch: 3, epoch: 5 },
  ])('$self at stored epoch $storedEpoch serves in epoch $epoch once it has heard nobody for candidateAloneMs', ({ self, storedEpoch, epoch }) => {
    const n = pairNode(self, { startupAloneMs: undefined });
    n.store.epoch = storedEpoch;
    n.boot(T0);
    const aloneMs = candidateAloneMs({ failureTimeoutMs: TIMEOUT_MS });
    expect(aloneMs).toBeGreaterThan(TIMEOUT_MS);
    expect(showKinds(n.tickUntil(T0 + aloneMs - 1), 'role', 'persistEpoch', 'append')).toEqual([]);

    const effects = n.tick(T0 + aloneMs);
    expect(showEffects(effects)).toEqual([
      `send@${storedEpoch} heartbeat candidate seq=0`,
      `persistEpoch ${epoch}`,
      `role server@${epoch} server=${self}`,
      `append@${epoch} roleChange`,
      `send@${epoch} heartbeat server seq=0`,
      'publish 1-1',
    ]);
    const [cel] = appendedOps(effects);
    expect(cel?.kind === 'roleChange' && cel.cel).toMatchObject({ kind: 'system', node: self, text: `${self} serves in epoch ${epoch}: no answer from ${peerOf(self)} since start` });
    expect(n.store.epoch).toBe(epoch);
    expect(n.store.log.map((op) => op.epoch)).toEqual([epoch]);
  });

  it('does not promote while it hears a live Standby, and does once the Standby is silent', () => {
    const a = pairNode('pc-a');
    a.boot(T0);
    const standbyBeat = heartbeat('standby', { server: 'pc-a', seq: 7 });
    expect(showEffects(a.step(fromPeer(T0, 'pc-b', 2, standbyBeat)))).toEqual(['persistEpoch 2']);
    for (let t = T0 + 50; t <= T0 + 3_000; t += 50) {
      if (t % HEARTBEAT_MS === 0) a.step(fromPeer(t, 'pc-b', 2, standbyBeat));
      expect(showKinds(a.tick(t), 'role')).toEqual([]);
    }
    // The last heartbeat came at T0 + 3000.
    expect(showKinds(a.tickUntil(T0 + 3_000 + TIMEOUT_MS - 1), 'role')).toEqual([]);
    expect(showKinds(a.tick(T0 + 3_000 + TIMEOUT_MS), 'role', 'persistEpoch')).toEqual(['persistEpoch 4', 'role server@4 server=pc-a']);
  });
});

describe('two candidates that hear each other', () => {
  it.each([
    { case: 'pc-b has read the plant longer', aFromMs: 0, bFromMs: -500, preferred: 'pc-a', first: 'pc-b' },
    { case: 'pc-a has read the plant longer', aFromMs: -500, bFromMs: 0, preferred: 'pc-b', first: 'pc-a' },
    { case: 'equal buffers, pc-a preferred', aFromMs: 0, bFromMs: 0, preferred: 'pc-a', first: 'pc-a' },
    { case: 'equal buffers, pc-b preferred', aFromMs: 0, bFromMs: 0, preferred: 'pc-b', first: 'pc-b' },
    { case: 'neither has read anything', aFromMs: null, bFromMs: null, preferred: 'pc-a', first: 'pc-a' },
    { case: 'only pc-b has read anything', aFromMs: null, bFromMs: 0, preferred: 'pc-a', first: 'pc-b' },
  ])('$case: $first serves first', ({ aFromMs, bFromMs, preferred, first }) => {
    const a = pairNode('pc-a', { preferred });
    const b = pairNode('pc-b', { preferred });
    a.boot(T0);
    b.boot(T0);
    if (aFromMs !== null) a.step(samplesInput(T0 + aFromMs));
    if (bFromMs !== null) b.step(samplesInput(T0 + bFromMs));
    a.tick(T0 + 200);
    b.tick(T0 + 200);
    deliver(a, b, T0 + 200);
    deliver(b, a, T0 + 200);

    const roles = [a, b].map((n) => showKinds(n.tick(T0 + 250), 'role'));
    const [firstNode, second] = first === 'pc-a' ? [a, b] : [b, a];
    expect(roles).toEqual(first === 'pc-a' ? [[`role server@2 server=pc-a`], []] : [[], [`role server@1 server=pc-b`]]);
    expect(second.engine.role).toBe('candidate');
    expect(showKinds(deliver(firstNode, second, T0 + 250), 'role')).toEqual([`role aligning@${firstNode.engine.epoch} server=${first}`]);
  });

  it('the other serves after twice the failure timeout if the first one never does', () => {
    const b = pairNode('pc-b');
    b.boot(T0);
    for (let t = T0; t < T0 + 2 * TIMEOUT_MS; t += 50) {
      if (t % HEARTBEAT_MS === 0) b.step(fromPeer(t, 'pc-a', 0, heartbeat('candidate')));
      expect(showKinds(b.tick(t), 'role')).toEqual([]);
    }
    const effects = b.tick(T0 + 2 * TIMEOUT_MS);
    expect(showKinds(effects, 'role')).toEqual(['role server@1 server=pc-b']);
    expect(appendedOps(effects)[0]).toMatchObject({ kind: 'roleChange', change: { reasonCode: 'notServing' }, cel: { text: 'pc-b serves in epoch 1: pc-a is not serving' } });
  });
});

describe('a Standby whose Server falls silent', () => {
  /** Ticks every ms from the last time the Server was heard; the witness speaks at `witness.atMs` after it. */
  function promotedAfterMs(witness: { afterMs: number; server: NodeName; epoch: number; silentForMs: number } | null): number | null {
    const { standby, nowMs: heardMs } = serverAndStandby();
    for (let t = heardMs + 1; t <= heardMs + 5_000; t++) {
      if (witness && t === heardMs + witness.afterMs) standby.step({ kind: 'witness', nowMs: t, server: witness.server, epoch: witness.epoch, silentForMs: witness.silentForMs });
      if (showKinds(standby.tick(t), 'role').length > 0) return t - heardMs;
    }
    return null;
  }

  it.each([
    { case: 'no witness', witness: null, afterMs: 1_000 },
    { case: 'a witness heard the Server 200 ms ago', witness: { afterMs: 1_000, server: 'pc-a' as const, epoch: 2, silentForMs: 200 }, afterMs: 1_800 },
    { case: 'a witness hears the Server now', witness: { afterMs: 500, server: 'pc-a' as const, epoch: 2, silentForMs: 0 }, afterMs: 1_500 },
    { case: 'a witness heard the Server no later than we did', witness: { afterMs: 1_000, server: 'pc-a' as const, epoch: 2, silentForMs: 1_000 }, afterMs: 1_000 },
    { case: 'a witness heard a Server of an older epoch', witness: { afterMs: 500, server: 'pc-a' as const, epoch: 0, silentForMs: 0 }, afterMs: 1_000 },
    { case: 'a witness heard this node serve', witness: { afterMs: 500, server: 'pc-b' as const, epoch: 2, silentForMs: 0 }, afterMs: 1_000 },
  ])('$case: promotes $afterMs ms after the Server was last heard', ({ witness, afterMs }) => {
    expect(promotedAfterMs(witness)).toBe(afterMs);
  });

  it('promotes to its own next epoch, persisted first, and logs why', () => {
    const { standby, nowMs } = serverAndStandby();
    expect(showKinds(standby.tickUntil(nowMs + TIMEOUT_MS - 1), 'persistEpoch', 'role', 'append')).toEqual([]);
    const effects = standby.tick(nowMs + TIMEOUT_MS);
    expect(showEffects(effects)).toEqual(['send@2 heartbeat standby seq=1', 'persistEpoch 3', 'role server@3 server=pc-b', 'append@3 roleChange', 'send@3 heartbeat server seq=1', 'publish 2-2']);
    expect(appendedOps(effects)[0]).toMatchObject({ kind: 'roleChange', change: { node: 'pc-b', epoch: 3, reasonCode: 'failure', gapMs: 1000 }, cel: { text: 'pc-b serves in epoch 3: pc-a silent for 1000 ms' } });
  });

  it('stays Standby while the Server keeps sending', () => {
    const { server, standby, nowMs } = serverAndStandby();
    for (let t = nowMs + 50; t <= nowMs + 5_000; t += 50) {
      server.tick(t);
      standby.tick(t);
      exchangeUntilQuiet(server, standby, t);
    }
    expect([server.engine.role, standby.engine.role]).toEqual(['server', 'standby']);
  });

  it('fills the detection gap from its buffer: samples after the Server\'s watermark, with their alarms at their true time', () => {
    const { server, standby, nowMs } = serverAndStandby();
    for (let t = nowMs + 100; t <= nowMs + 500; t += 100) {
      server.step(samplesInput(t));
      standby.step(samplesInput(t));
      exchangeUntilQuiet(server, standby, t);
    }
    // The Server is gone; the Standby's own drivers keep reading, the blinker comes on at +1000.
    let promotion: Effect[] = [];
    for (let t = nowMs + 600; t <= nowMs + 1_500; t += 100) {
      standby.step(samplesInput(t, t >= nowMs + 1_000 ? 1 : 0));
      promotion = standby.tick(t);
    }
    expect(showKinds(promotion, 'role')).toEqual(['role server@3 server=pc-b']);

    const ops = appendedOps(promotion);
    const counterSlots = ops.flatMap((op) => (op.kind === 'samples' ? op.samples.filter((s) => s.tag === 'Sim.Counter').map((s) => s.t - nowMs) : []));
    expect(counterSlots).toEqual([600, 700, 800, 900, 1_000, 1_100, 1_200, 1_300, 1_400, 1_500]);
    const transitions = ops.flatMap((op) => (op.kind === 'alarm' ? [`${op.transition.alarmId} ${op.transition.t - nowMs} ${op.transition.to}`] : []));
    expect(transitions).toEqual(['Blink.On 1000 unackActive']);
    const archived = [...standby.store.samples.values()].filter((s) => s.tag === 'Sim.Counter').map((s) => s.t - nowMs);
    expect(archived).toEqual([100, 200, 300, 400, 500, 600, 700, 800, 900, 1_000, 1_100, 1_200, 1_300, 1_400, 1_500]);
  });
});

describe('epochs fence stale nodes', () => {
  const staleOp: LoggedOp = { id: 'stale/1', kind: 'cel', t: T0, epoch: 1, seq: 2, cel: { id: 'stale/1', t: T0, node: 'x', kind: 'system', user: null, text: 'stale', alarmId: null, tag: null, state: null } };

  it.each([
    { message: heartbeat('server', { server: 'pc-b', seq: 9 }) },
    { message: { type: 'append', prevSeq: 1, ops: [staleOp] } as PeerMessage },
    { message: { type: 'ack', seq: 9 } as PeerMessage },
    { message: { type: 'handover', seq: 1 } as PeerMessage },
    { message: { type: 'epochQuery', epoch: 1 } as PeerMessage },
    { message: { type: 'handback', fromSeq: 1, ops: [staleOp] } as PeerMessage },
  ])('the Server refuses a $message.type of an older epoch and answers with a heartbeat', ({ message }) => {
    const { server, nowMs } = serverAndStandby();
    const before = { role: server.engine.role, epoch: server.engine.epoch, seq: server.store.seq };
    expect(showEffects(server.step(fromPeer(nowMs + 10, 'pc-b', 1, message)))).toEqual(['send@2 heartbeat server seq=1']);
    expect({ role: server.engine.role, epoch: server.engine.epoch, seq: server.store.seq }).toEqual(before);
  });

  it.each([
    { message: heartbeat('server', { server: 'pc-a', seq: 9 }) },
    { message: { type: 'append', prevSeq: 1, ops: [staleOp] } as PeerMessage },
    { message: { type: 'handover', seq: 1 } as PeerMessage },
  ])('a Standby refuses a $message.type of an older epoch and answers with a heartbeat', ({ message }) => {
    const { standby, nowMs } = serverAndStandby();
    expect(showEffects(standby.step(fromPeer(nowMs + 10, 'pc-a', 1, message)))).toEqual(['send@2 heartbeat standby seq=1']);
    expect([standby.engine.role, standby.engine.epoch, standby.store.seq]).toEqual(['standby', 2, 1]);
  });

  it('a Server that hears a higher epoch steps down at once, persists it and answers what it had pending', () => {
    const { server, standby, nowMs } = serverAndStandby();
    server.step(samplesInput(nowMs + 100, 1));
    exchangeUntilQuiet(server, standby, nowMs + 100);
    server.step(commandInput(nowMs + 200, 'r1'));
    server.outbox = [];

    const effects = server.step(fromPeer(nowMs + 300, 'pc-b', 3, heartbeat('server', { server: 'pc-b', seq: 9 })));
    expect(showEffects(effects)).toEqual(['persistEpoch 3', 'reply r1 notServer server=pc-b', 'role aligning@3 server=pc-b', 'send@3 epochQuery 2']);
    expect(server.store.epoch).toBe(3);
    expect(showEffects(server.step(commandInput(nowMs + 400, 'r2')))).toEqual(['reply r2 notServer server=pc-b']);
  });

  it('a candidate learns the higher epoch of a Server and follows it', () => {
    const a = pairNode('pc-a');
    a.store.epoch = 2;
    a.boot(T0);
    expect(showEffects(a.step(fromPeer(T0 + 10, 'pc-b', 5, heartbeat('server', { server: 'pc-b', seq: 4 }))))).toEqual([
      'persistEpoch 5',
      'role aligning@5 server=pc-b',
      'send@5 epochQuery 0',
    ]);
  });
});

describe('regressions', () => {
  it('a restarted node that cannot hear its peer does not serve while a witness hears the peer serve', () => {
    const a = pairNode('pc-a');
    a.store.epoch = 2;
    a.boot(T0);
    a.step({ kind: 'witness', nowMs: T0 + 500, server: 'pc-b', epoch: 3, silentForMs: 0 });
    expect(showKinds(a.tick(T0 + TIMEOUT_MS), 'role')).toEqual([]);
    expect(showKinds(a.tick(T0 + 500 + TIMEOUT_MS - 1), 'role')).toEqual([]);
    expect(showKinds(a.tick(T0 + 500 + TIMEOUT_MS), 'role')).toEqual(['role server@4 server=pc-a']);
  });
});
