import type { PeerMessage } from '../../../shared/protocol/peer.js';
import type { LoggedOp } from '../../../shared/protocol/ops.js';
import { alignStep } from './alignment-steps.js';
import type { EngineInput } from './engine-types.js';
import type { PairState } from './pair-state.js';
import { promote } from './role-changes.js';

/**
 * A follower of the Server, aligning its log with the Server's first (role `aligning`), then
 * replicating it (`standby`). It buffers its own drivers' readings, and takes over when the Server
 * falls silent and no witness hears it, or when the Server hands the role over.
 */
export function stepStandby(s: PairState, input: EngineInput): void {
  switch (input.kind) {
    case 'tick':
      return onTick(s);
    case 'samples':
      s.buffer.add(input.driver, input.samples);
      return;
    case 'persisted':
      return onPersisted(s);
    case 'peer':
      return onMessage(s, input.envelope.message);
    case 'link':
      // While aligning, our log end may hold ops the Server does not have: it is no acknowledgement.
      if (!s.alignment) s.send({ type: 'ack', seq: s.seq });
      return;
    case 'command':
      s.refuseCommand(input.request.requestId);
      return;
  }
}

function onTick(s: PairState): void {
  if (s.alignment && s.nowMs - s.alignment.lastMessageMs >= s.config.heartbeatMs) alignStep(s, s.alignment.next(s.nowMs));
  // The preferred node restarted before taking over: it refuses the handover, we serve on.
  if (s.peer.role === 'candidate') s.handingOverSeq = null;
  if (s.handingOverSeq !== null && s.peerAlive) s.send({ type: 'handover', seq: s.handingOverSeq });
  promoteIfNoServer(s);
}

function promoteIfNoServer(s: PairState): void {
  const { config } = s;
  if (!s.inService(config.self)) return;
  const silentMs = s.nowMs - s.serverHeardAtMs;
  // A peer that is alive but not serving gets one more timeout to take the role first if it is preferred.
  const peerMayServe = s.peerAlive && s.peer.role !== 'candidate';
  const graceMs = peerMayServe && config.self !== s.preferred ? config.failureTimeoutMs : 0;
  if (silentMs < config.failureTimeoutMs + graceMs || s.witnessSeesServer()) return;
  if (s.peerAlive) promote(s, `${config.peer} is alive but has not served for ${silentMs} ms${s.stallNote()}`, 'notServing', silentMs);
  else promote(s, `${config.peer} silent for ${s.silenceMs()} ms${s.stallNote()}`, 'failure', s.silenceMs());
}

/** Takes over from a Server that handed over; the gap is from its handover to serving here. */
function promotePlanned(s: PairState): void {
  const gapMs = s.handoverHeardAtMs === null ? 0 : s.nowMs - s.handoverHeardAtMs;
  s.handoverHeardAtMs = null;
  promote(s, `planned switchover from ${s.config.peer}`, 'planned', gapMs);
}

function onPersisted(s: PairState): void {
  s.send({ type: 'ack', seq: s.seq });
  if (s.role === 'aligning' && s.seq >= s.peer.seq) s.setRole('standby', s.server, 'aligned with the Server');
  if (s.handoverAtSeq !== null && s.seq >= s.handoverAtSeq) promotePlanned(s);
}

function onMessage(s: PairState, message: PeerMessage): void {
  switch (message.type) {
    case 'heartbeat':
      if (message.role !== 'server') return;
      s.server = s.config.peer;
      if (!s.alignment && s.seq < message.seq) s.send({ type: 'ack', seq: s.seq });
      return;
    case 'append':
      return onAppend(s, message.prevSeq, message.ops);
    case 'handover':
      s.handoverAtSeq = message.seq;
      s.handoverHeardAtMs ??= s.nowMs;
      if (s.seq >= message.seq) promotePlanned(s);
      return;
    case 'epochEnd':
      if (s.alignment) alignStep(s, s.alignment.epochEnd(message.epoch, message.endSeq, s.seq, s.nowMs));
      return;
    case 'handbackAck':
      if (s.alignment) alignStep(s, s.alignment.handbackStored(message.throughSeq, s.seq, s.nowMs));
      return;
  }
}

function onAppend(s: PairState, prevSeq: number, ops: LoggedOp[]): void {
  s.server = s.config.peer;
  s.serverHeardAtMs = s.nowMs;
  if (s.alignment) return;
  const fresh = ops.filter((op) => op.seq > s.seq);
  const first = fresh[0];
  if (prevSeq > s.seq || (first && first.seq !== s.seq + 1)) {
    // A gap: say where we are, the Server ships from there.
    s.send({ type: 'ack', seq: s.seq });
    return;
  }
  if (fresh.length > 0) s.out.push({ kind: 'appendReplicated', ops: fresh });
}
