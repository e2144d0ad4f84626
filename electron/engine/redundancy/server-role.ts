import type { AlarmStatus } from '../../../shared/protocol/entities.js';
import type { PeerMessage } from '../../../shared/protocol/peer.js';
import { commandOpId, type LoggedOp, type WriteOutcome } from '../../../shared/protocol/ops.js';
import type { LoggedWrite, ProjectProcessor } from '../project/project-processor.js';
import type { EngineInput } from './engine-types.js';
import { mergeHandback } from './handback-merge.js';
import { handOverRefusal, isPairCommand, pairCommand } from './pair-commands.js';
import type { PairState } from './pair-state.js';

/** How long a manual switchover may wait for the Standby to have everything before it is dropped. */
export const SWITCHOVER_WAIT_MS = 30_000;

/**
 * The Server: processes the plant and operator commands into the log, streams the log to the
 * Standby, confirms commands once the Standby has them (or is down) and, with automatic failback,
 * hands the role back to the preferred node.
 */
export function stepServer(s: PairState, input: EngineInput): void {
  const processor = s.processor!;
  switch (input.kind) {
    case 'tick':
      return onTick(s, processor);
    case 'samples':
      s.append(processor.ingest(input.driver, input.samples));
      s.out.push({ kind: 'values', samples: input.samples });
      return;
    case 'persisted':
      return onPersisted(s, input.ops);
    case 'peer':
      return onMessage(s, input.envelope.message);
    case 'command':
      return onCommand(s, processor, input);
    case 'written':
      return onWritten(s, processor, input.requestId, input.outcomes);
    case 'driverState':
      s.append([processor.systemEvent(s.nowMs, input.text)]);
      return;
    case 'stop':
      s.append([processor.systemEvent(s.nowMs, `Tandem stopped on node ${s.config.self}: ${input.reason}`)]);
      return;
  }
}

function onTick(s: PairState, processor: ProjectProcessor): void {
  const due = processor.tick(s.nowMs);
  s.append(due);
  shipFrom(s, s.replication.stalled(s.seq, s.nowMs, 2 * s.config.heartbeatMs));
  if (!s.peerAlive) confirmPending(s);
  expireSwitchover(s, processor);
  // What this tick logged is not at the Standby yet: hand over on a later tick, at the log end.
  if (due.length === 0) maybeHandOver(s);
}

function onPersisted(s: PairState, ops: LoggedOp[]): void {
  s.out.push({ kind: 'publish', ops });
  for (const op of ops) s.pending.stored(op);
  if (s.config.peer !== null) {
    for (const append of s.replication.stored(ops, s.nowMs, s.linkUp)) s.send({ type: 'append', ...append });
  }
  if (!s.standbyInSync) confirmPending(s);
}

/** A heartbeat needs nothing more: epochs are unique per node (see nextEpoch), so a Server never hears another Server of its own epoch. */
function onMessage(s: PairState, message: PeerMessage): void {
  switch (message.type) {
    case 'ack':
      shipFrom(s, s.replication.acknowledged(message.seq, s.seq, s.nowMs));
      confirmPending(s);
      return;
    case 'epochQuery':
      s.send({ type: 'epochEnd', ...s.history.endOf(message.epoch, s.seq) });
      return;
    case 'handback': {
      const last = message.ops.at(-1);
      if (!last) return;
      s.append(mergeHandback(message.ops, s));
      s.send({ type: 'handbackAck', throughSeq: last.seq });
      return;
    }
  }
}

function onCommand(s: PairState, processor: ProjectProcessor, input: Extract<EngineInput, { kind: 'command' }>): void {
  const { request } = input;
  const { requestId, command } = request;
  if (input.logged) {
    // Still on its way (confirmation or the drivers): the answer comes when it is done.
    if (s.pending.has(requestId) || s.writing.has(requestId)) return;
    if (command.kind !== 'ack' && command.kind !== 'shelve' && command.kind !== 'unshelve') {
      const writes = input.loggedOutcomes ?? null;
      if (command.kind === 'write' && writes === null) {
        // Logged but never written here (this node took over before it could be): the retry writes it.
        const write = s.mirror.unfinishedWrites.get(requestId);
        if (write) return startWrite(s, write);
      }
      s.reply(requestId, { ok: true, applied: false, alarms: [], degraded: s.degraded, writes });
      return;
    }
    const ids = command.kind === 'ack' ? command.alarmIds : [command.alarmId];
    const alarms = ids.map((id) => processor.alarmStatus(id)).filter((a): a is AlarmStatus => a !== undefined);
    s.reply(requestId, { ok: true, applied: false, alarms, degraded: s.degraded, writes: null });
    return;
  }
  s.append(processor.tick(s.nowMs));
  if (isPairCommand(command)) {
    const steered = pairCommand(s, { ...request, command });
    if (!steered.ok) {
      s.reply(requestId, { ok: false, code: steered.code, message: steered.message, server: s.config.self });
      return;
    }
    s.pending.add(requestId, commandOpId(requestId), { alarms: [], write: null, outcomes: null });
    s.append(steered.ops);
    if (steered.switchover) s.switchoverRequestedAtMs = s.nowMs;
    return;
  }
  const outcome = processor.command({ ...request, t: s.nowMs });
  if (!outcome.ok) {
    s.reply(requestId, { ok: false, code: outcome.code, message: outcome.message, server: s.config.self });
    return;
  }
  const logged = outcome.ops[0];
  const write = outcome.writes && logged?.kind === 'command' && logged.command.kind === 'write' ? { requestId, user: request.user, command: logged.command } : null;
  s.pending.add(requestId, commandOpId(requestId), { alarms: outcome.alarms, write, outcomes: null });
  s.append(outcome.ops);
}

/** A confirmed write goes to the drivers; its outcome is logged when they answer. */
function startWrite(s: PairState, write: LoggedWrite): void {
  s.writing.set(write.requestId, write);
  s.out.push({ kind: 'write', requestId: write.requestId, writes: write.command.writes });
}

function onWritten(s: PairState, processor: ProjectProcessor, requestId: string, outcomes: WriteOutcome[]): void {
  const write = s.writing.get(requestId);
  if (!write) return;
  s.writing.delete(requestId);
  const op = processor.writeResult(write, outcomes, s.nowMs);
  s.pending.add(requestId, op.id, { alarms: [], write: null, outcomes });
  s.append([op]);
}

function shipFrom(s: PairState, seq: number | null): void {
  if (seq !== null) s.out.push({ kind: 'shipFrom', epoch: s.epoch, seq });
}

/** Confirms commands the Standby has persisted, or all of them while there is no Standby to wait for. */
function confirmPending(s: PairState): void {
  const standbySeq = s.standbyInSync ? s.replication.ackedSeq : null;
  for (const { requestId, alarms, write, outcomes } of s.pending.takeConfirmed(standbySeq)) {
    if (write) startWrite(s, write);
    else s.reply(requestId, { ok: true, applied: true, alarms, degraded: s.degraded, writes: outcomes });
  }
}

/**
 * A planned handover to the Standby once it has everything: this node went out of service, an
 * operator asked for a switchover, or (automatic failback) another node is preferred. Frozen roles
 * allow only the first.
 */
function maybeHandOver(s: PairState): void {
  const { peer } = s.config;
  if (peer === null || !s.peerAlive || !s.inService(peer)) return;
  if (s.peer.role !== 'standby' || s.replication.ackedSeq < s.seq || s.pending.size > 0 || s.writing.size > 0) return;
  const reason = handOverReason(s);
  if (reason === null) return;
  s.send({ type: 'handover', seq: s.seq });
  s.handingOverSeq = s.seq;
  s.serverHeardAtMs = s.nowMs;
  s.processor = null;
  s.switchoverRequestedAtMs = null;
  s.setRole('standby', peer, reason);
}

/**
 * A manual switchover that could not happen soon (the Standby fell behind, died, or roles were frozen
 * meanwhile) is dropped and the CEL says so: the role must not move by surprise much later.
 */
function expireSwitchover(s: PairState, processor: ProjectProcessor): void {
  const askedAt = s.switchoverRequestedAtMs;
  if (askedAt === null || s.nowMs - askedAt < SWITCHOVER_WAIT_MS) return;
  s.switchoverRequestedAtMs = null;
  const { peer, failback } = s.config;
  const why = handOverRefusal(s) ?? `${peer} did not confirm everything in time`;
  const after =
    failback === 'automatic' && s.preferred === peer
      ? `; ${peer} stays the preferred Server, so automatic failback hands the role over once it has everything`
      : '';
  s.append([processor.systemEvent(s.nowMs, `The switchover to ${peer} asked ${Math.round((s.nowMs - askedAt) / 1000)} s ago did not happen and is dropped: ${why}${after}`)]);
}

function handOverReason(s: PairState): string | null {
  const { self, peer, failback } = s.config;
  if (!s.inService(self)) return `${self} is out of service: handing the Server role to ${peer}`;
  if (s.settings.frozen) return null;
  if (s.switchoverRequestedAtMs !== null) return `manual switchover to ${peer}`;
  if (failback === 'automatic' && s.preferred !== self) return `handing the Server role back to ${s.preferred}`;
  return null;
}
