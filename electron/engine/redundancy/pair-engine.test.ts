import { describe, expect, it } from 'vitest';
import { parseProject, type Project } from '../../../shared/project/load-project.js';
import type { AlarmState, AlarmStatus, Sample } from '../../../shared/protocol/entities.js';
import { alarmOpId, type LoggedOp, type Op } from '../../../shared/protocol/ops.js';
import { APPEND_OPS_MAX, type PeerEnvelope, type PeerMessage, type PeerRole } from '../../../shared/protocol/peer.js';
import { SimStore } from '../../../test/sim/sim-store.js';
import type { CommandRequest, Effect, EngineInput, PairConfig } from './engine-types.js';
import { PairEngine } from './pair-engine.js';

const T0 = 1_800_000_000_000;
const HEARTBEAT_MS = 200;
const TIMEOUT_MS = 1_000;

const PROJECT: Project = (() => {
  const result = parseProject({
    format: 'tandem-project/1',
    id: 'unit',
    name: 'Pair engine unit test',
    drivers: [{ id: 'Sim', type: 'simulator' }],
    tags: [
      { id: 'Sim.Counter', driver: 'Sim', address: 'counter' },
      { id: 'Sim.Blink', type: 'boolean', driver: 'Sim', address: 'square?periodMs=3000&duty=0.5' },
    ],
    alarms: [{ id: 'Blink.On', tag: 'Sim.Blink', condition: { type: 'binary' }, text: 'Blinker on', priority: 'low' }],
  });
  if (!result.ok) throw new Error(result.errors.join('\n'));
  return result.project;
})();

type Name = 'pc-a' | 'pc-b';
const other = (name: Name): Name => (name === 'pc-a' ? 'pc-b' : 'pc-a');

/**
 * One node as the runtime hosts it: the engine, an in-memory store, and the effects executed in
 * order (persist, then feed `persisted` back). What it sends waits in `outbox` until a test delivers it.
 */
class PairNode {
  readonly store = new SimStore();
  engine!: PairEngine;
  outbox: PeerEnvelope[] = [];

  constructor(
    readonly name: Name,
    readonly config: PairConfig,
  ) {}

  boot(nowMs: number): Effect[] {
    this.engine = new PairEngine(PROJECT, this.config, 'boot', this.store.stored(), nowMs);
    return this.step({ kind: 'link', nowMs, up: true });
  }

  /** Every effect of `input` and of the `persisted` inputs it led to, in the order executed. */
  step(first: EngineInput): Effect[] {
    const executed: Effect[] = [];
    const queue = [first];
    for (let input = queue.shift(); input; input = queue.shift()) {
      const nowMs = 'nowMs' in input ? input.nowMs : 0;
      for (const effect of this.engine.step(input)) {
        executed.push(effect);
        this.execute(effect, nowMs, queue);
      }
    }
    return executed;
  }

  tick(nowMs: number): Effect[] {
    return this.step({ kind: 'tick', nowMs });
  }

  private execute(effect: Effect, nowMs: number, queue: EngineInput[]): void {
    switch (effect.kind) {
      case 'persistEpoch':
        if (effect.epoch < this.store.epoch) throw new Error(`${this.name}: epoch went back to ${effect.epoch}`);
        this.store.epoch = effect.epoch;
        return;
      case 'append':
        queue.push({ kind: 'persisted', nowMs, ops: this.store.append(effect.ops, effect.epoch) });
        return;
      case 'appendReplicated':
        queue.push({ kind: 'persisted', nowMs, ops: this.store.appendReplicated(effect.ops) });
        return;
      case 'truncateAfter':
        this.store.truncateAfter(effect.seq);
        return;
      case 'send':
        return this.post(effect.epoch, effect.message);
      case 'shipFrom':
        return this.post(effect.epoch, { type: 'append', prevSeq: effect.seq, ops: this.store.opsAfter(effect.seq, APPEND_OPS_MAX) });
      case 'handBack':
        return this.post(effect.epoch, { type: 'handback', fromSeq: effect.seq, ops: this.store.opsAfter(effect.seq, APPEND_OPS_MAX) });
      default:
        return;
    }
  }

  private post(epoch: number, message: PeerMessage): void {
    if (epoch > this.store.epoch) throw new Error(`${this.name}: sent ${message.type} in epoch ${epoch} before persisting it`);
    this.outbox.push({ project: PROJECT.id, from: this.name, epoch, message });
  }
}

function node(name: Name, config: Partial<PairConfig> = {}): PairNode {
  return new PairNode(name, { self: name, peer: other(name), preferred: 'pc-a', failback: 'manual', heartbeatMs: HEARTBEAT_MS, failureTimeoutMs: TIMEOUT_MS, ...config });
}

/** Delivers what `from` sent so far to `to`; returns the effects on `to`. */
function deliver(from: PairNode, to: PairNode, nowMs: number): Effect[] {
  return from.outbox.splice(0).flatMap((envelope) => to.step({ kind: 'peer', nowMs, envelope }));
}

function exchange(a: PairNode, b: PairNode, nowMs: number): void {
  for (let round = 0; a.outbox.length + b.outbox.length > 0; round++) {
    if (round > 20) throw new Error('the nodes keep talking');
    deliver(a, b, nowMs);
    deliver(b, a, nowMs);
  }
}

/**
 * `first` starts alone and serves; its peer starts when it does, follows, catches up and is Standby.
 * Both have heard each other's heartbeat at `nowMs`, the Server knows its peer as Standby.
 */
function serverAndStandby(first: Name = 'pc-a', config: Partial<PairConfig> = {}) {
  const server = node(first, config);
  const standby = node(other(first), config);
  server.boot(T0);
  server.tick(T0 + TIMEOUT_MS);
  server.outbox = [];
  standby.boot(T0 + TIMEOUT_MS);
  for (const nowMs of [T0 + 1_200, T0 + 1_400]) {
    server.tick(nowMs);
    standby.tick(nowMs);
    exchange(server, standby, nowMs);
  }
  expect([server.engine.role, standby.engine.role]).toEqual(['server', 'standby']);
  return { server, standby, nowMs: T0 + 1_400 };
}

const fromPeer = (nowMs: number, sender: Name, epoch: number, message: PeerMessage): EngineInput => ({
  kind: 'peer',
  nowMs,
  envelope: { project: PROJECT.id, from: sender, epoch, message },
});

function heartbeat(role: PeerRole, fields: Partial<Extract<PeerMessage, { type: 'heartbeat' }>> = {}): PeerMessage {
  return { type: 'heartbeat', role, server: null, seq: 0, sentAtMs: 0, echoSentAtMs: null, echoHeldMs: 0, bufferedFromMs: null, drivers: { connected: 1, total: 1, errorRate: 0 }, ...fields };
}

/** One grid slot of the plant as both nodes' drivers read it. */
const plant = (t: number, blink = 0): Sample[] => [
  { tag: 'Sim.Counter', t, v: (t - T0) / 100, q: 'good' },
  { tag: 'Sim.Blink', t, v: blink, q: 'good' },
];
const samples = (t: number, blink = 0): EngineInput => ({ kind: 'samples', nowMs: t, driver: 'Sim', samples: plant(t, blink) });
const ackAlarm = (requestId: string): CommandRequest => ({ requestId, user: 'ann', command: { kind: 'ack', alarmIds: ['Blink.On'], comment: '' } });
const command = (nowMs: number, requestId: string, logged = false): EngineInput => ({ kind: 'command', nowMs, request: ackAlarm(requestId), logged });

/** Effects as one line each: what a reader of a trace wants to see. */
function show(effects: readonly Effect[]): string[] {
  return effects.map((effect) => {
    switch (effect.kind) {
      case 'persistEpoch':
        return `persistEpoch ${effect.epoch}`;
      case 'append':
        return `append@${effect.epoch} ${effect.ops.map((op) => op.kind).join(',')}`;
      case 'appendReplicated':
        return `appendReplicated ${span(effect.ops)}`;
      case 'truncateAfter':
        return `truncateAfter ${effect.seq}`;
      case 'handBack':
        return `handBack@${effect.epoch} after ${effect.seq}`;
      case 'send':
        return `send@${effect.epoch} ${showMessage(effect.message)}`;
      case 'shipFrom':
        return `shipFrom@${effect.epoch} ${effect.seq}`;
      case 'publish':
        return `publish ${span(effect.ops)}`;
      case 'values':
        return 'values';
      case 'reply': {
        const { reply } = effect;
        const outcome = reply.ok ? `ok ${reply.applied ? 'applied' : 'already'}${reply.degraded ? ' degraded' : ''}` : `${reply.code} server=${reply.server}`;
        return `reply ${effect.requestId} ${outcome}`;
      }
      case 'role':
        return `role ${effect.role}@${effect.epoch} server=${effect.server}`;
    }
  });
}

const span = (ops: readonly LoggedOp[]) => `${ops[0]?.seq}-${ops.at(-1)?.seq}`;

function showMessage(message: PeerMessage): string {
  switch (message.type) {
    case 'heartbeat':
      return `heartbeat ${message.role} seq=${message.seq}`;
    case 'append':
    case 'handback':
      return `${message.type} after ${message.type === 'append' ? message.prevSeq : message.fromSeq}: ${span(message.ops)}`;
    case 'ack':
    case 'handover':
      return `${message.type} ${message.seq}`;
    case 'epochQuery':
      return `epochQuery ${message.epoch}`;
    case 'epochEnd':
      return `epochEnd ${message.epoch} ${message.endSeq}`;
    case 'handbackAck':
      return `handbackAck ${message.throughSeq}`;
  }
}

const kinds = (effects: readonly Effect[], ...wanted: Effect['kind'][]) => show(effects.filter((e) => wanted.includes(e.kind)));
const replies = (effects: readonly Effect[]) => effects.flatMap((e) => (e.kind === 'reply' ? [e] : []));
const appended = (effects: readonly Effect[]) => effects.flatMap((e) => (e.kind === 'append' ? e.ops : []));

describe('a candidate alone', () => {
  it.each([
    { self: 'pc-a' as const, storedEpoch: 0, epoch: 2 },
    { self: 'pc-b' as const, storedEpoch: 0, epoch: 1 },
    { self: 'pc-a' as const, storedEpoch: 2, epoch: 4 },
    { self: 'pc-a' as const, storedEpoch: 3, epoch: 4 },
    { self: 'pc-b' as const, storedEpoch: 2, epoch: 3 },
    { self: 'pc-b' as const, storedEpoch: 3, epoch: 5 },
  ])('$self at stored epoch $storedEpoch serves in epoch $epoch after the failure timeout', ({ self, storedEpoch, epoch }) => {
    const n = node(self);
    n.store.epoch = storedEpoch;
    n.boot(T0);
    expect(kinds(n.tick(T0 + TIMEOUT_MS - 1), 'role', 'persistEpoch', 'append')).toEqual([]);

    const effects = n.tick(T0 + TIMEOUT_MS);
    expect(show(effects)).toEqual([
      `persistEpoch ${epoch}`,
      `role server@${epoch} server=${self}`,
      `append@${epoch} cel`,
      `send@${epoch} heartbeat server seq=0`,
      'publish 1-1',
    ]);
    const [cel] = appended(effects);
    expect(cel?.kind === 'cel' && cel.cel).toMatchObject({ kind: 'system', node: self, text: `${self} serves in epoch ${epoch}: no answer from ${other(self)} since start` });
    expect(n.store.epoch).toBe(epoch);
    expect(n.store.log.map((op) => op.epoch)).toEqual([epoch]);
  });

  it('does not promote while it hears a live Standby, and does once the Standby is silent', () => {
    const a = node('pc-a');
    a.boot(T0);
    const standbyBeat = heartbeat('standby', { server: 'pc-a', seq: 7 });
    expect(show(a.step(fromPeer(T0, 'pc-b', 2, standbyBeat)))).toEqual(['persistEpoch 2']);
    for (let t = T0 + 50; t <= T0 + 3_000; t += 50) {
      if (t % HEARTBEAT_MS === 0) a.step(fromPeer(t, 'pc-b', 2, standbyBeat));
      expect(kinds(a.tick(t), 'role')).toEqual([]);
    }
    // The last heartbeat came at T0 + 3000.
    expect(kinds(a.tick(T0 + 3_000 + TIMEOUT_MS - 1), 'role')).toEqual([]);
    expect(kinds(a.tick(T0 + 3_000 + TIMEOUT_MS), 'role', 'persistEpoch')).toEqual(['persistEpoch 4', 'role server@4 server=pc-a']);
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
    const a = node('pc-a', { preferred });
    const b = node('pc-b', { preferred });
    a.boot(T0);
    b.boot(T0);
    if (aFromMs !== null) a.step(samples(T0 + aFromMs));
    if (bFromMs !== null) b.step(samples(T0 + bFromMs));
    a.tick(T0 + 200);
    b.tick(T0 + 200);
    deliver(a, b, T0 + 200);
    deliver(b, a, T0 + 200);

    const roles = [a, b].map((n) => kinds(n.tick(T0 + 250), 'role'));
    const [firstNode, second] = first === 'pc-a' ? [a, b] : [b, a];
    expect(roles).toEqual(first === 'pc-a' ? [[`role server@2 server=pc-a`], []] : [[], [`role server@1 server=pc-b`]]);
    expect(second.engine.role).toBe('candidate');
    expect(kinds(deliver(firstNode, second, T0 + 250), 'role')).toEqual([`role aligning@${firstNode.engine.epoch} server=${first}`]);
  });

  it('the other serves after twice the failure timeout if the first one never does', () => {
    const b = node('pc-b');
    b.boot(T0);
    for (let t = T0; t < T0 + 2 * TIMEOUT_MS; t += 50) {
      if (t % HEARTBEAT_MS === 0) b.step(fromPeer(t, 'pc-a', 0, heartbeat('candidate')));
      expect(kinds(b.tick(t), 'role')).toEqual([]);
    }
    const effects = b.tick(T0 + 2 * TIMEOUT_MS);
    expect(kinds(effects, 'role')).toEqual(['role server@1 server=pc-b']);
    expect(appended(effects)[0]).toMatchObject({ kind: 'cel', cel: { text: 'pc-b serves in epoch 1: pc-a is not serving' } });
  });
});

describe('a Standby whose Server falls silent', () => {
  /** Ticks every ms from the last time the Server was heard; the witness speaks at `witness.atMs` after it. */
  function promotedAfterMs(witness: { afterMs: number; server: Name; epoch: number; silentForMs: number } | null): number | null {
    const { standby, nowMs: heardMs } = serverAndStandby();
    for (let t = heardMs + 1; t <= heardMs + 5_000; t++) {
      if (witness && t === heardMs + witness.afterMs) standby.step({ kind: 'witness', nowMs: t, server: witness.server, epoch: witness.epoch, silentForMs: witness.silentForMs });
      if (kinds(standby.tick(t), 'role').length > 0) return t - heardMs;
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
    expect(kinds(standby.tick(nowMs + TIMEOUT_MS - 1), 'persistEpoch', 'role', 'append')).toEqual([]);
    const effects = standby.tick(nowMs + TIMEOUT_MS);
    expect(show(effects)).toEqual(['persistEpoch 3', 'role server@3 server=pc-b', 'append@3 cel', 'send@3 heartbeat server seq=1', 'publish 2-2']);
    expect(appended(effects)[0]).toMatchObject({ kind: 'cel', cel: { text: 'pc-b serves in epoch 3: pc-a silent for 1000 ms' } });
  });

  it('stays Standby while the Server keeps sending', () => {
    const { server, standby, nowMs } = serverAndStandby();
    for (let t = nowMs + 50; t <= nowMs + 5_000; t += 50) {
      server.tick(t);
      standby.tick(t);
      exchange(server, standby, t);
    }
    expect([server.engine.role, standby.engine.role]).toEqual(['server', 'standby']);
  });

  it('fills the detection gap from its buffer: samples after the Server\'s watermark, with their alarms at their true time', () => {
    const { server, standby, nowMs } = serverAndStandby();
    for (let t = nowMs + 100; t <= nowMs + 500; t += 100) {
      server.step(samples(t));
      standby.step(samples(t));
      exchange(server, standby, t);
    }
    // The Server is gone; the Standby's own drivers keep reading, the blinker comes on at +1000.
    let promotion: Effect[] = [];
    for (let t = nowMs + 600; t <= nowMs + 1_500; t += 100) {
      standby.step(samples(t, t >= nowMs + 1_000 ? 1 : 0));
      promotion = standby.tick(t);
    }
    expect(kinds(promotion, 'role')).toEqual(['role server@3 server=pc-b']);

    const ops = appended(promotion);
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
    expect(show(server.step(fromPeer(nowMs + 10, 'pc-b', 1, message)))).toEqual(['send@2 heartbeat server seq=1']);
    expect({ role: server.engine.role, epoch: server.engine.epoch, seq: server.store.seq }).toEqual(before);
  });

  it.each([
    { message: heartbeat('server', { server: 'pc-a', seq: 9 }) },
    { message: { type: 'append', prevSeq: 1, ops: [staleOp] } as PeerMessage },
    { message: { type: 'handover', seq: 1 } as PeerMessage },
  ])('a Standby refuses a $message.type of an older epoch and answers with a heartbeat', ({ message }) => {
    const { standby, nowMs } = serverAndStandby();
    expect(show(standby.step(fromPeer(nowMs + 10, 'pc-a', 1, message)))).toEqual(['send@2 heartbeat standby seq=1']);
    expect([standby.engine.role, standby.engine.epoch, standby.store.seq]).toEqual(['standby', 2, 1]);
  });

  it('a Server that hears a higher epoch steps down at once, persists it and answers what it had pending', () => {
    const { server, standby, nowMs } = serverAndStandby();
    server.step(samples(nowMs + 100, 1));
    exchange(server, standby, nowMs + 100);
    server.step(command(nowMs + 200, 'r1'));
    server.outbox = [];

    const effects = server.step(fromPeer(nowMs + 300, 'pc-b', 3, heartbeat('server', { server: 'pc-b', seq: 9 })));
    expect(show(effects)).toEqual(['persistEpoch 3', 'reply r1 notServer server=pc-b', 'role aligning@3 server=pc-b', 'send@3 epochQuery 2']);
    expect(server.store.epoch).toBe(3);
    expect(show(server.step(command(nowMs + 400, 'r2')))).toEqual(['reply r2 notServer server=pc-b']);
  });

  it('a candidate learns the higher epoch of a Server and follows it', () => {
    const a = node('pc-a');
    a.store.epoch = 2;
    a.boot(T0);
    expect(show(a.step(fromPeer(T0 + 10, 'pc-b', 5, heartbeat('server', { server: 'pc-b', seq: 4 }))))).toEqual([
      'persistEpoch 5',
      'role aligning@5 server=pc-b',
      'send@5 epochQuery 0',
    ]);
  });
});

describe('replication from the Server', () => {
  it('streams each persisted op to a live Standby, which stores and acknowledges it', () => {
    const { server, standby, nowMs } = serverAndStandby();
    expect(show(server.step(samples(nowMs + 100)))).toEqual(['append@2 samples', 'values', 'publish 2-2', 'send@2 append after 1: 2-2']);
    expect(show(deliver(server, standby, nowMs + 100))).toEqual(['appendReplicated 2-2', 'send@2 ack 2']);
    expect(show(deliver(standby, server, nowMs + 100))).toEqual([]);
    expect(standby.store.log).toEqual(server.store.log);
  });

  it('resends from the acknowledged seq when the same ack comes twice while more is in flight', () => {
    const { server, nowMs } = serverAndStandby();
    server.step(samples(nowMs + 100));
    server.step(samples(nowMs + 200));
    const ack = (seq: number) => show(server.step(fromPeer(nowMs + 210, 'pc-b', 2, { type: 'ack', seq })));
    expect(ack(2)).toEqual([]);
    expect(ack(2)).toEqual(['shipFrom@2 2']);
    // Catching up: new ops are not streamed; each ack asks for what follows it, until the log end.
    expect(kinds(server.step(samples(nowMs + 300)), 'send', 'shipFrom')).toEqual([]);
    expect(ack(3)).toEqual(['shipFrom@2 3']);
    expect(ack(4)).toEqual([]);
    expect(kinds(server.step(samples(nowMs + 400)), 'send')).toEqual(['send@2 append after 4: 5-5']);
  });

  it('ships a Standby that lags from its ack, and streams live once an ack reaches the log end', () => {
    const { server, nowMs } = serverAndStandby();
    server.outbox = [];
    server.step({ kind: 'link', nowMs, up: false });
    for (let t = nowMs + 100; t <= nowMs + 300; t += 100) expect(kinds(server.step(samples(t)), 'send')).toEqual([]);
    server.step({ kind: 'link', nowMs: nowMs + 300, up: true });
    expect(show(server.step(fromPeer(nowMs + 310, 'pc-b', 2, { type: 'ack', seq: 1 })))).toEqual(['shipFrom@2 1']);
    expect(server.outbox.at(-1)?.message).toMatchObject({ type: 'append', prevSeq: 1, ops: [{ seq: 2 }, { seq: 3 }, { seq: 4 }] });
    expect(show(server.step(fromPeer(nowMs + 320, 'pc-b', 2, { type: 'ack', seq: 4 })))).toEqual([]);
    expect(kinds(server.step(samples(nowMs + 400)), 'send')).toEqual(['send@2 append after 4: 5-5']);
  });

  it('a Standby that misses ops says where it is instead of storing past a gap', () => {
    const { server, standby, nowMs } = serverAndStandby();
    server.step(samples(nowMs + 100));
    server.outbox = [];
    server.step(samples(nowMs + 200));
    expect(show(deliver(server, standby, nowMs + 200))).toEqual(['send@2 ack 1']);
    expect(show(deliver(standby, server, nowMs + 200))).toEqual(['shipFrom@2 1']);
    expect(show(deliver(server, standby, nowMs + 200))).toEqual(['appendReplicated 2-3', 'send@2 ack 3']);
  });
});

describe('operator commands', () => {
  /** A Server with the blinker alarm raised and replicated; the Standby alive or not. */
  function raised() {
    const pair = serverAndStandby();
    const { server, standby, nowMs } = pair;
    server.step(samples(nowMs + 100, 1));
    exchange(server, standby, nowMs + 100);
    return { ...pair, nowMs: nowMs + 100 };
  }

  it.each([
    { case: 'a candidate', who: 'candidate', reply: 'reply r1 notServer server=null', text: 'pc-b is not serving this project now (it is candidate).' },
    { case: 'a Standby', who: 'standby', reply: 'reply r1 notServer server=pc-a', text: 'pc-b is not serving this project now (it is standby). The Server is pc-a.' },
  ])('$case refuses and names the Server', ({ who, reply, text }) => {
    let target: PairNode;
    if (who === 'candidate') {
      target = node('pc-b');
      target.boot(T0);
    } else {
      target = serverAndStandby().standby;
    }
    const effects = target.step(command(T0 + 2_000, 'r1'));
    expect(show(effects)).toEqual([reply]);
    expect(replies(effects)[0]?.reply).toMatchObject({ ok: false, message: text });
  });

  it('the Server confirms a command once the live Standby has persisted it', () => {
    const { server, standby, nowMs } = raised();
    const effects = server.step(command(nowMs + 10, 'r1'));
    expect(show(effects)).toEqual(['append@2 command,alarm', 'publish 4-5', 'send@2 append after 3: 4-5']);
    expect(show(deliver(server, standby, nowMs + 20))).toEqual(['appendReplicated 4-5', 'send@2 ack 5']);
    const confirmed = deliver(standby, server, nowMs + 30);
    expect(show(confirmed)).toEqual(['reply r1 ok applied']);
    expect(replies(confirmed)[0]?.reply).toMatchObject({ ok: true, applied: true, degraded: false, alarms: [{ alarmId: 'Blink.On', state: 'ackActive', ackUser: 'ann' }] });
  });

  it('an ack that covers only part of the log confirms only what it covers', () => {
    const { server, nowMs } = raised();
    server.step(samples(nowMs + 10, 1));
    server.step(command(nowMs + 20, 'r1'));
    const ack = (seq: number) => show(server.step(fromPeer(nowMs + 30, 'pc-b', 2, { type: 'ack', seq })));
    expect(ack(4)).toEqual([]);
    expect(ack(6)).toEqual(['reply r1 ok applied']);
  });

  it('with the Standby silent, the Server confirms at once and says redundancy is degraded', () => {
    const { server, nowMs } = raised();
    server.tick(nowMs + TIMEOUT_MS);
    const effects = server.step(command(nowMs + TIMEOUT_MS, 'r1'));
    expect(show(effects)).toEqual(['append@2 command,alarm', 'publish 4-5', 'send@2 append after 3: 4-5', 'reply r1 ok applied degraded']);
    expect(server.engine.degraded).toBe(true);
  });

  it('a command waiting for a Standby that falls silent is confirmed as degraded once the Standby counts as down', () => {
    const { server, nowMs } = raised();
    server.step(command(nowMs + 10, 'r1'));
    expect(replies(server.tick(nowMs + TIMEOUT_MS - 1))).toEqual([]);
    expect(kinds(server.tick(nowMs + TIMEOUT_MS), 'reply')).toEqual(['reply r1 ok applied degraded']);
  });

  it('a retry of a confirmed command changes nothing and says so', () => {
    const { server, standby, nowMs } = raised();
    server.step(command(nowMs + 10, 'r1'));
    exchange(server, standby, nowMs + 10);
    const retry = server.step(command(nowMs + 20, 'r1', true));
    expect(show(retry)).toEqual(['reply r1 ok already']);
    expect(replies(retry)[0]?.reply).toMatchObject({ alarms: [{ alarmId: 'Blink.On', state: 'ackActive' }] });
    expect(server.store.seq).toBe(5);
  });

  it('a retry of a command still waiting for the Standby gets the one reply, at confirmation', () => {
    const { server, standby, nowMs } = raised();
    server.step(command(nowMs + 10, 'r1'));
    expect(show(server.step(command(nowMs + 20, 'r1', true)))).toEqual([]);
    deliver(server, standby, nowMs + 30);
    expect(kinds(deliver(standby, server, nowMs + 30), 'reply')).toEqual(['reply r1 ok applied']);
    expect(replies(server.tick(nowMs + 5_000))).toEqual([]);
  });

  it.each([
    { case: 'an unknown alarm', request: { requestId: 'r1', user: 'ann', command: { kind: 'ack', alarmIds: ['Nope'], comment: '' } } as CommandRequest, reply: 'reply r1 notFound server=pc-a' },
    { case: 'nothing to acknowledge', request: { requestId: 'r1', user: 'ann', command: { kind: 'unshelve', alarmId: 'Blink.On', comment: '' } } as CommandRequest, reply: 'reply r1 conflict server=pc-a' },
  ])('the Server refuses $case without logging it', ({ request, reply }) => {
    const { server, nowMs } = raised();
    expect(show(server.step({ kind: 'command', nowMs: nowMs + 10, request, logged: false }))).toEqual([reply]);
    expect(server.store.seq).toBe(3);
  });
});

const celOp = (id: string): Op => ({ id, kind: 'cel', t: T0, cel: { id, t: T0, node: 'x', kind: 'system', user: null, text: id, alarmId: null, tag: null, state: null } });

/** Writes each `[epoch, count]` run at the end of the store's log, as ops named `${prefix}${seq}`. */
function writeLog(store: SimStore, prefix: string, runs: Array<[epoch: number, count: number]>): void {
  for (const [epoch, count] of runs) {
    store.epoch = Math.max(store.epoch, epoch);
    store.append(Array.from({ length: count }, (_, i) => celOp(`${prefix}${store.seq + i + 1}`)), epoch);
  }
}

describe('a follower aligns its log with the Server', () => {
  /** pc-b starts with `log` and hears pc-a serve in epoch 4; returns it after its first epochQuery. */
  function follower(log: Array<[number, number]>, prefix = 'x') {
    const b = node('pc-b');
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
    expect(show(effects)).toEqual(['persistEpoch 4', 'role aligning@4 server=pc-a', `send@4 epochQuery ${asks}`]);
    expect(show(b.step(epochEnd(...answer)))).toEqual(then);
  });

  it('hands back its own ops, and drops them only once the Server has stored all of them', () => {
    const { b } = follower([[2, 10], [3, 5]]);
    b.step(epochEnd(2, 10));
    expect(b.outbox.at(-1)?.message).toMatchObject({ type: 'handback', fromSeq: 10, ops: [{ seq: 11 }, { seq: 12 }, { seq: 13 }, { seq: 14 }, { seq: 15 }] });

    // While aligning, the Server's log is not stored over ours.
    const serverOp: LoggedOp = { ...celOp('a11'), epoch: 4, seq: 11 };
    expect(show(b.step(fromPeer(T0 + 30, 'pc-a', 4, { type: 'append', prevSeq: 10, ops: [serverOp] })))).toEqual([]);

    const handbackAck = (throughSeq: number) => show(b.step(fromPeer(T0 + 40, 'pc-a', 4, { type: 'handbackAck', throughSeq })));
    expect(handbackAck(13)).toEqual(['handBack@4 after 13']);
    expect(b.store.seq).toBe(15);
    expect(handbackAck(15)).toEqual(['truncateAfter 10', 'send@4 ack 10']);
    expect(b.store.seq).toBe(10);

    const next = b.step(fromPeer(T0 + 50, 'pc-a', 4, { type: 'append', prevSeq: 10, ops: [serverOp, { ...celOp('a12'), epoch: 4, seq: 12 }] }));
    expect(show(next)).toEqual(['appendReplicated 11-12', 'send@4 ack 12', 'role standby@4 server=pc-a']);
    expect(b.store.log.map((op) => `${op.epoch}:${op.id}`).slice(-3)).toEqual(['2:x10', '4:a11', '4:a12']);
  });

  it('asks again after a heartbeat interval when an answer is lost', () => {
    const { b } = follower([[2, 10], [3, 5]]);
    const queries = (effects: Effect[]) => kinds(effects, 'send').filter((line) => line.includes('epochQuery'));
    expect(queries(b.tick(T0 + 10 + HEARTBEAT_MS - 1))).toEqual([]);
    expect(queries(b.tick(T0 + 10 + HEARTBEAT_MS))).toEqual(['send@4 epochQuery 3']);
  });
});

describe('the Server in an alignment', () => {
  /** pc-a with 5 ops of pc-b's epoch 1, serving since in epoch 2 (its promotion op is seq 6). */
  function server() {
    const a = node('pc-a');
    writeLog(a.store, 'x', [[1, 5]]);
    a.boot(T0);
    a.tick(T0 + TIMEOUT_MS);
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
    expect(show(a.step(fromPeer(T0 + 1_100, 'pc-b', 2, { type: 'epochQuery', epoch: asked })))).toEqual([`send@2 ${answer}`]);
  });

  it('a follower does not answer an epochQuery', () => {
    const { standby, nowMs } = serverAndStandby();
    expect(show(standby.step(fromPeer(nowMs + 10, 'pc-a', 2, { type: 'epochQuery', epoch: 2 })))).toEqual([]);
  });

  describe('merging a handback', () => {
    /** The Server with the blinker alarm raised at +100; the follower hands back a CEL entry and a status of that alarm. */
    function merge(theirs: { t: number; state: AlarmState; ackUser: string | null }) {
      const { server: a, nowMs } = serverAndStandby();
      a.step(samples(nowMs + 100, 1));
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
      expect(kinds(effects, 'append', 'send')).toEqual(['append@2 cel,alarm', 'send@2 handbackAck 8', 'send@2 append after 3: 4-5']);
      for (const op of appended(effects)) expect(Object.keys(op)).not.toContain('seq');
      for (const op of appended(effects)) expect(Object.keys(op)).not.toContain('epoch');
      expect(a.store.log.slice(-2).map((op) => `${op.epoch}:${op.seq}:${op.id}`)).toEqual([`2:4:b7`, `2:5:${appended(effects)[1]!.id}`]);
    });

    it('keeps its own alarm status when the handed-back one is older', () => {
      const { a, own, effects } = merge({ t: 50, state: 'ackActive', ackUser: 'bob' });
      const alarm = appended(effects).find((op) => op.kind === 'alarm');
      expect(alarm?.kind === 'alarm' && alarm.status).toEqual(own);
      expect(a.engine.alarmStatuses()).toEqual([own]);
    });

    it('takes the handed-back alarm status when it is newer: an acknowledgement is not undone', () => {
      const { a, status, effects } = merge({ t: 300, state: 'ackActive', ackUser: 'bob' });
      const alarm = appended(effects).find((op) => op.kind === 'alarm');
      expect(alarm?.kind === 'alarm' && alarm.status).toEqual(status);
      expect(a.engine.alarmStatuses()).toEqual([status]);
      expect(show(a.step(command(status.since + 100, 'r9')))).toEqual(['reply r9 conflict server=pc-a']);
    });
  });
});

describe('automatic failback', () => {
  it.each([
    { case: 'the non-preferred Server with automatic failback', serves: 'pc-b' as const, failback: 'automatic' as const, handsOver: true },
    { case: 'the non-preferred Server with manual failback', serves: 'pc-b' as const, failback: 'manual' as const, handsOver: false },
    { case: 'the preferred Server', serves: 'pc-a' as const, failback: 'automatic' as const, handsOver: false },
  ])('$case: hands over = $handsOver', ({ serves, failback, handsOver }) => {
    const { server, nowMs } = serverAndStandby(serves, { failback });
    const effects = server.tick(nowMs + 50);
    expect(kinds(effects, 'send', 'role').filter((line) => !line.includes('heartbeat'))).toEqual(
      handsOver ? [`send@${server.engine.epoch} handover 1`, 'role standby@1 server=pc-a'] : [],
    );
  });

  it('waits until the preferred Standby has acknowledged everything', () => {
    const { server: b, standby: a, nowMs } = serverAndStandby('pc-b', { failback: 'automatic' });
    b.step(samples(nowMs + 10));
    expect(kinds(b.tick(nowMs + 50), 'role')).toEqual([]);
    exchange(b, a, nowMs + 60);
    expect(kinds(b.tick(nowMs + 100), 'role', 'send')).toEqual(['send@1 handover 2', 'role standby@1 server=pc-a']);
  });

  it('the preferred Standby takes over in a new epoch, and the old Server follows it', () => {
    const { server: b, standby: a, nowMs } = serverAndStandby('pc-b', { failback: 'automatic' });
    b.tick(nowMs + 50);
    const takeover = deliver(b, a, nowMs + 60);
    expect(show(takeover)).toEqual(['persistEpoch 2', 'role server@2 server=pc-a', 'append@2 cel', 'send@2 heartbeat server seq=1', 'publish 2-2']);
    expect(appended(takeover)[0]).toMatchObject({ kind: 'cel', cel: { text: 'pc-a serves in epoch 2: planned switchover from pc-b' } });

    for (let t = nowMs + 100; t <= nowMs + 1_000; t += 100) {
      a.step(samples(t));
      a.tick(t);
      b.tick(t);
      exchange(a, b, t);
    }
    expect([a.engine.role, b.engine.role, b.engine.epoch]).toEqual(['server', 'standby', 2]);
    expect(b.store.log).toEqual(a.store.log);
  });

  it('the preferred Standby takes over only once its log reaches the handover seq', () => {
    const { standby: a, nowMs } = serverAndStandby('pc-b');
    expect(show(a.step(fromPeer(nowMs + 10, 'pc-b', 1, { type: 'handover', seq: 2 })))).toEqual([]);
    const last: LoggedOp = { ...celOp('b2'), epoch: 1, seq: 2 };
    const effects = a.step(fromPeer(nowMs + 20, 'pc-b', 1, { type: 'append', prevSeq: 1, ops: [last] }));
    expect(kinds(effects, 'appendReplicated', 'role', 'persistEpoch')).toEqual(['appendReplicated 2-2', 'persistEpoch 2', 'role server@2 server=pc-a']);
  });

  it('a candidate ignores a handover: it has read too little of the plant', () => {
    const a = node('pc-a');
    a.store.epoch = 1;
    a.boot(T0);
    expect(show(a.step(fromPeer(T0 + 10, 'pc-b', 1, { type: 'handover', seq: 0 })))).toEqual([]);
    expect(a.engine.role).toBe('candidate');
  });
});

describe('regressions', () => {
  it('a Server hands over at its log end, not before ops its own tick logged (a shelving that ran out)', () => {
    const { server: b, standby: a, nowMs } = serverAndStandby('pc-b', { failback: 'automatic' });
    const shelve: CommandRequest = { requestId: 'r1', user: 'ann', command: { kind: 'shelve', alarmId: 'Blink.On', durationMs: 99, comment: '' } };
    b.step({ kind: 'command', nowMs: nowMs + 1, request: shelve, logged: false });
    exchange(b, a, nowMs + 1);
    // The tick at which the Standby has everything is the one at which the shelving runs out.
    const handovers = (effects: Effect[]) => kinds(effects, 'send', 'role').filter((line) => !line.includes('heartbeat'));
    const expiry = b.tick(nowMs + 100);
    expect(kinds(expiry, 'append')).toEqual(['append@1 alarm']);
    expect(handovers(expiry)).toEqual(['send@1 append after 3: 4-4']);
    exchange(b, a, nowMs + 100);
    expect(handovers(b.tick(nowMs + 150))).toEqual(['send@1 handover 4', 'role standby@1 server=pc-a']);

    for (let t = nowMs + 150; t <= nowMs + 2_000; t += 50) {
      a.tick(t);
      b.tick(t);
      exchange(a, b, t);
    }
    expect([a.engine.role, b.engine.role]).toEqual(['server', 'standby']);
    expect(b.store.log).toEqual(a.store.log);
  });

  it('a follower still aligning does not acknowledge its divergent log when the link comes back', () => {
    // pc-a serves in epoch 4; pc-b returns with 6 ops of its own epoch 3 after the common op x1.
    const a = node('pc-a');
    writeLog(a.store, 'x', [[2, 1]]);
    a.store.epoch = 3;
    a.boot(T0);
    a.tick(T0 + TIMEOUT_MS);
    a.step(samples(T0 + 1_100, 1));
    const b = node('pc-b');
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
    a.step(command(T0 + 1_400, 'r1'));
    expect(a.store.seq).toBe(6);

    b.step({ kind: 'link', nowMs: T0 + 1_410, up: false });
    const linkBack = b.step({ kind: 'link', nowMs: T0 + 1_420, up: true });
    expect(kinds(linkBack, 'send').filter((line) => line.includes('ack'))).toEqual([]);
    expect(replies(deliver(b, a, T0 + 1_420))).toEqual([]);
  });

  it('a restarted node that cannot hear its peer does not serve while a witness hears the peer serve', () => {
    const a = node('pc-a');
    a.store.epoch = 2;
    a.boot(T0);
    a.step({ kind: 'witness', nowMs: T0 + 500, server: 'pc-b', epoch: 3, silentForMs: 0 });
    expect(kinds(a.tick(T0 + TIMEOUT_MS), 'role')).toEqual([]);
    expect(kinds(a.tick(T0 + 500 + TIMEOUT_MS - 1), 'role')).toEqual([]);
    expect(kinds(a.tick(T0 + 500 + TIMEOUT_MS), 'role')).toEqual(['role server@4 server=pc-a']);
  });
});
