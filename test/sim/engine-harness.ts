/**
 * A step-by-step harness for unit tests of the PairEngine: two nodes named pc-a and pc-b, each the real
 * engine over a SimStore, with its effects executed in order (persist, then feed `persisted` back).
 *
 * Unlike SimNode/SimCluster, which run seeded random networks, nothing here happens on its own: a test
 * feeds one input, sees every effect it caused as one line of text (`showEffects`), and decides when
 * what a node sent reaches its peer (`deliver`). The harness also checks the rule the runtime relies
 * on: a node that sends in an epoch it has not persisted yet throws.
 */
import { expect } from 'vitest';
import type { CommandRequest, Effect, EngineInput, PairConfig } from '../../electron/engine/redundancy/engine-types.js';
import { PairEngine } from '../../electron/engine/redundancy/pair-engine.js';
import type { Project } from '../../shared/project/load-project.js';
import type { Sample } from '../../shared/protocol/entities.js';
import type { LoggedOp, Op } from '../../shared/protocol/ops.js';
import { APPEND_OPS_MAX, type PeerEnvelope, type PeerMessage, type PeerRole } from '../../shared/protocol/peer.js';
import { simProject } from './sim-project.js';
import { SimStore } from './sim-store.js';

/** When the tests start; every time in them is relative to it. */
export const T0 = 1_800_000_000_000;
export const HEARTBEAT_MS = 200;
export const TIMEOUT_MS = 1_000;
/** How often the runtime's timer ticks a project's engine at the most. */
export const HOST_TICK_MS = 50;

/** The simulation's plant (a counter and a blinker with one alarm): enough for samples, alarms and commands. */
export const UNIT_PROJECT: Project = simProject();

export type NodeName = 'pc-a' | 'pc-b';
export const peerOf = (name: NodeName): NodeName => (name === 'pc-a' ? 'pc-b' : 'pc-a');

/**
 * One node as the runtime hosts it: the engine, an in-memory store, and the effects executed in
 * order (persist, then feed `persisted` back). What it sends waits in `outbox` until a test delivers it.
 */
export class HarnessNode {
  readonly store = new SimStore();
  engine!: PairEngine;
  outbox: PeerEnvelope[] = [];
  private lastInputMs = -Infinity;

  constructor(
    readonly name: NodeName,
    readonly config: PairConfig,
  ) {}

  boot(nowMs: number): Effect[] {
    this.engine = new PairEngine(UNIT_PROJECT, this.config, 'boot', this.store.stored(), nowMs);
    return this.step({ kind: 'link', nowMs, up: true });
  }

  /** Every effect of `input` and of the `persisted` inputs it led to, in the order executed. */
  step(first: EngineInput): Effect[] {
    const executed: Effect[] = [];
    const queue = [first];
    for (let input = queue.shift(); input; input = queue.shift()) {
      const nowMs = 'nowMs' in input ? input.nowMs : 0;
      if ('nowMs' in input) this.lastInputMs = Math.max(this.lastInputMs, nowMs);
      for (const effect of this.engine.step(input)) {
        executed.push(effect);
        this.execute(effect, nowMs, queue);
      }
    }
    return executed;
  }

  /** One tick at `nowMs`. Long after the node's last input, that is a node that stood still meanwhile. */
  tick(nowMs: number): Effect[] {
    return this.step({ kind: 'tick', nowMs });
  }

  /** Time passes with the node running: its timer ticks every HOST_TICK_MS after its last input, and at `toMs`. */
  tickUntil(toMs: number): Effect[] {
    const effects: Effect[] = [];
    for (let t = this.lastInputMs + HOST_TICK_MS; t < toMs; t += HOST_TICK_MS) effects.push(...this.tick(t));
    return [...effects, ...this.tick(toMs)];
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
    this.outbox.push({ project: UNIT_PROJECT.id, from: this.name, epoch, message });
  }
}

/** A node not booted yet: pc-a preferred, manual failback, the test timings; `config` overrides. */
export function pairNode(name: NodeName, config: Partial<PairConfig> = {}): HarnessNode {
  // Scenarios start a lone node as Server after one failure timeout; the roles tests check the real default.
  return new HarnessNode(name, { self: name, peer: peerOf(name), preferred: 'pc-a', failback: 'manual', heartbeatMs: HEARTBEAT_MS, failureTimeoutMs: TIMEOUT_MS, startupAloneMs: TIMEOUT_MS, ...config });
}

/** Delivers what `from` sent so far to `to`; returns the effects on `to`. */
export function deliver(from: HarnessNode, to: HarnessNode, nowMs: number): Effect[] {
  return from.outbox.splice(0).flatMap((envelope) => to.step({ kind: 'peer', nowMs, envelope }));
}

/** Delivers both ways until neither node has anything left to send; throws if they never stop. */
export function exchangeUntilQuiet(a: HarnessNode, b: HarnessNode, nowMs: number): void {
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
export function serverAndStandby(first: NodeName = 'pc-a', config: Partial<PairConfig> = {}) {
  const server = pairNode(first, config);
  const standby = pairNode(peerOf(first), config);
  server.boot(T0);
  server.tickUntil(T0 + TIMEOUT_MS);
  server.outbox = [];
  standby.boot(T0 + TIMEOUT_MS);
  for (const nowMs of [T0 + 1_200, T0 + 1_400]) {
    server.tick(nowMs);
    standby.tick(nowMs);
    exchangeUntilQuiet(server, standby, nowMs);
  }
  expect([server.engine.role, standby.engine.role]).toEqual(['server', 'standby']);
  return { server, standby, nowMs: T0 + 1_400 };
}

/** `message` as it arrives from `sender`, sent in `epoch`. */
export const fromPeer = (nowMs: number, sender: NodeName, epoch: number, message: PeerMessage): EngineInput => ({
  kind: 'peer',
  nowMs,
  envelope: { project: UNIT_PROJECT.id, from: sender, epoch, message },
});

export function heartbeat(role: PeerRole, fields: Partial<Extract<PeerMessage, { type: 'heartbeat' }>> = {}): PeerMessage {
  return { type: 'heartbeat', role, server: null, seq: 0, sentAtMs: 0, echoSentAtMs: null, echoHeldMs: 0, bufferedFromMs: null, drivers: { connected: 1, total: 1, errorRate: 0, staleTags: 0, badTags: 0 }, ...fields };
}

/** One grid slot of the plant as both nodes' drivers read it. */
const plant = (t: number, blink = 0): Sample[] => [
  { tag: 'Sim.Counter', t, v: (t - T0) / 100, q: 'good' },
  { tag: 'Sim.Blink', t, v: blink, q: 'good' },
];
/** The drivers' reading of the slot at `t`, the blinker at `blink`. */
export const samplesInput = (t: number, blink = 0): EngineInput => ({ kind: 'samples', nowMs: t, driver: 'Sim', samples: plant(t, blink) });
const ackRequest = (requestId: string): CommandRequest => ({ requestId, user: 'ann', command: { kind: 'ack', alarmIds: ['Blink.On'], comment: '' } });
/** Ann acknowledges the blinker alarm; `logged` says whether the request id is already in the log (a retry). */
export const commandInput = (nowMs: number, requestId: string, logged = false): EngineInput => ({ kind: 'command', nowMs, request: ackRequest(requestId), logged });

/** A system CEL entry named `id`, not logged yet. */
export const celOp = (id: string): Op => ({ id, kind: 'cel', t: T0, cel: { id, t: T0, node: 'x', kind: 'system', user: null, text: id, alarmId: null, tag: null, state: null } });

/** Writes each `[epoch, count]` run at the end of the store's log, as ops named `${prefix}${seq}`. */
export function writeLog(store: SimStore, prefix: string, runs: Array<[epoch: number, count: number]>): void {
  for (const [epoch, count] of runs) {
    store.epoch = Math.max(store.epoch, epoch);
    store.append(Array.from({ length: count }, (_, i) => celOp(`${prefix}${store.seq + i + 1}`)), epoch);
  }
}

/** Effects as one line each: what a reader of a trace wants to see. */
export function showEffects(effects: readonly Effect[]): string[] {
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
      case 'write':
        return `write ${effect.requestId} ${effect.writes.map((w) => `${w.tag}=${w.value}`).join(',')}`;
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

/** `showEffects` of only the effects of the `wanted` kinds. */
export const showKinds = (effects: readonly Effect[], ...wanted: Effect['kind'][]) => showEffects(effects.filter((e) => wanted.includes(e.kind)));
export const repliesOf = (effects: readonly Effect[]) => effects.flatMap((e) => (e.kind === 'reply' ? [e] : []));
/** The ops of the `append` effects: what the node logged itself. */
export const appendedOps = (effects: readonly Effect[]) => effects.flatMap((e) => (e.kind === 'append' ? e.ops : []));
