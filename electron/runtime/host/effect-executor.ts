import type { PairEngine } from '../../engine/redundancy/pair-engine.js';
import type { CommandReply, EngineInput } from '../../engine/redundancy/engine-types.js';
import type { Position, Role, Sample } from '../../../shared/protocol/entities.js';
import { APPEND_OPS_MAX, type PeerEnvelope, type PeerMessage, type PeerRole } from '../../../shared/protocol/peer.js';
import { log } from '../log.js';
import { opsEnvelopeText, type EnvelopeText } from '../peer/envelope-text.js';
import type { LoggedOp, Op, TagWrite } from '../../../shared/protocol/ops.js';

/** What the effects need of a store: ProjectStore in the runtime, SimStore in the simulation. */
export interface StorePort {
  setEpoch(epoch: number): void;
  append(ops: readonly Op[], epoch: number): LoggedOp[];
  appendReplicated(ops: readonly LoggedOp[]): LoggedOp[];
  truncateAfter(seq: number): void;
  opsAfter(seq: number, limitOps: number): LoggedOp[];
  /** opsAfter as JSON text, when the store keeps ops as text (ProjectStore); see envelope-text.ts. */
  opsAfterJson?(seq: number, limitOps: number): string;
  position(): Position;
}

/** Who hears of persisted ops, live values and role changes (the client gateway). */
export interface EffectListener {
  ops(ops: LoggedOp[], position: Position): void;
  values(samples: Sample[]): void;
  role?(role: Role, server: string | null, reason: string): void;
}

/** How a project host reaches its peer node. */
export interface PeerPort {
  send(envelope: PeerEnvelope): boolean;
  /** An envelope serialized already (the runtime's link; the simulation passes objects). */
  sendText?(envelope: EnvelopeText): boolean;
}

export interface EffectPorts {
  store: StorePort;
  peer: PeerPort | null;
  projectId: string;
  node: string;
  listeners: ReadonlySet<EffectListener>;
  reply(requestId: string, reply: CommandReply): void;
  /** Writes these values through the drivers, then feeds the engine a `written` input (later: it waits for the devices). */
  write(requestId: string, writes: TagWrite[]): void;
  /** Every op stored, this node's or replicated (simulated drivers follow the Server's writes). */
  stored?(ops: readonly LoggedOp[]): void;
  /** Role changes, also for whoever runs the node (the simulation's checkers). */
  onRole?(role: PeerRole, epoch: number, server: string | null, reason: string, nowMs: number): void;
}

/** Inputs one call may cause (persisted ops fed back): a bound, so a bug cannot spin forever. */
const INPUTS_PER_CALL_MAX = 10_000;

/**
 * Executes the engine's effects in order, as etcd raft's Ready loop does: durable writes first (an
 * epoch, then ops), and what they produce goes back into the engine as the next input; messages and
 * client notices go out only after what they depend on is stored.
 */
export function executeEffects(engine: PairEngine, first: EngineInput, ports: EffectPorts): void {
  const { store } = ports;
  const queue: EngineInput[] = [first];
  for (let count = 0; queue.length > 0; count++) {
    if (count >= INPUTS_PER_CALL_MAX) throw new Error(`the engine did not settle after ${INPUTS_PER_CALL_MAX} inputs`);
    const input = queue.shift()!;
    const nowMs = 'nowMs' in input ? input.nowMs : 0;
    for (const effect of engine.step(input)) {
      switch (effect.kind) {
        case 'persistEpoch':
          store.setEpoch(effect.epoch);
          break;
        case 'append':
        case 'appendReplicated': {
          const ops = effect.kind === 'append' ? store.append(effect.ops, effect.epoch) : store.appendReplicated(effect.ops);
          ports.stored?.(ops);
          queue.push({ kind: 'persisted', nowMs, ops });
          break;
        }
        case 'truncateAfter':
          store.truncateAfter(effect.seq);
          break;
        case 'send':
          // A live append, already stored: as text, read back as stored rather than stringified again.
          if (effect.message.type === 'append' && sendsText(ports)) sendOps(ports, effect.epoch, { type: 'append', prevSeq: effect.message.prevSeq }, effect.message.ops.length);
          else send(ports, effect.epoch, effect.message);
          break;
        case 'shipFrom':
          sendOps(ports, effect.epoch, { type: 'append', prevSeq: effect.seq }, APPEND_OPS_MAX);
          break;
        case 'handBack':
          sendOps(ports, effect.epoch, { type: 'handback', fromSeq: effect.seq }, APPEND_OPS_MAX);
          break;
        case 'publish': {
          const position = store.position();
          for (const listener of ports.listeners) listener.ops(effect.ops, position);
          break;
        }
        case 'values':
          for (const listener of ports.listeners) listener.values(effect.samples);
          break;
        case 'reply':
          ports.reply(effect.requestId, effect.reply);
          break;
        case 'write':
          ports.write(effect.requestId, effect.writes);
          break;
        case 'role': {
          log('info', `project ${ports.projectId}: ${ports.node} is now ${effect.role} (epoch ${effect.epoch}, Server ${effect.server ?? 'unknown'}): ${effect.reason}`);
          ports.onRole?.(effect.role, effect.epoch, effect.server, effect.reason, nowMs);
          const role = publicRole(effect.role, ports.peer === null);
          for (const listener of ports.listeners) listener.role?.(role, effect.server, effect.reason);
          break;
        }
      }
    }
  }
}

/** The role clients see: a starting node is aligning; a Server without a pair is standalone. */
export function publicRole(role: PeerRole, standalone: boolean): Role {
  if (role === 'candidate') return 'aligning';
  return standalone && role === 'server' ? 'standalone' : role;
}

function send(ports: EffectPorts, epoch: number, message: PeerMessage): void {
  ports.peer?.send({ project: ports.projectId, from: ports.node, epoch, message });
}

/** An append or handback of the stored ops after its position, as stored when the store keeps text. */
function sendOps(ports: EffectPorts, epoch: number, head: { type: 'append'; prevSeq: number } | { type: 'handback'; fromSeq: number }, limitOps: number): void {
  const { store, peer } = ports;
  if (!peer) return;
  const fromSeq = head.type === 'append' ? head.prevSeq : head.fromSeq;
  if (store.opsAfterJson && peer.sendText) {
    peer.sendText(opsEnvelopeText({ project: ports.projectId, from: ports.node, epoch }, head, store.opsAfterJson(fromSeq, limitOps)));
  } else {
    send(ports, epoch, { ...head, ops: store.opsAfter(fromSeq, limitOps) });
  }
}

/** The store keeps ops as text and the link takes text (the runtime; the simulation passes objects). */
function sendsText(ports: EffectPorts): boolean {
  return ports.store.opsAfterJson !== undefined && ports.peer?.sendText !== undefined;
}
