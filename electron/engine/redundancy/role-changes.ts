import type { PeerEnvelope } from '../../../shared/protocol/peer.js';
import type { Op } from '../../../shared/protocol/ops.js';
import { ProjectProcessor } from '../project/project-processor.js';
import { startAlignment } from './alignment-steps.js';
import type { PairState } from './pair-state.js';

/**
 * The next epoch this node may serve in: higher than any it knows, and of its own parity in the
 * pair, so two nodes that promote while cut off never share an epoch.
 */
function nextEpoch(s: PairState): number {
  if (s.config.peer === null) return s.epoch + 1;
  const parity = s.config.self < s.config.peer ? 0 : 1;
  return s.epoch + 1 + ((s.epoch + 1 + parity) % 2);
}

/** Serves in a new epoch, persisted first, and fills the detection gap from the autonomous buffer. */
export function promote(s: PairState, reason: string): void {
  s.alignment = null;
  s.handingOverSeq = null;
  s.epoch = nextEpoch(s);
  s.out.push({ kind: 'persistEpoch', epoch: s.epoch });
  s.handoverAtSeq = null;
  s.replication.reset();
  s.processor = new ProjectProcessor({
    project: s.project,
    node: s.config.self,
    bootId: `${s.bootId}.${s.epoch}`,
    ...s.mirror.processorState(),
    nowMs: s.nowMs,
  });
  s.setRole('server', s.config.self, reason);
  const text =
    s.config.peer === null
      ? `Tandem started on node ${s.config.self} (standalone, epoch ${s.epoch})`
      : `${s.config.self} serves in epoch ${s.epoch}: ${reason}`;
  const ops: Op[] = [s.processor.systemEvent(s.nowMs, text)];
  // The detection gap: what our own drivers read after the last batch the old Server processed.
  for (const batch of s.buffer.after(s.mirror.processedThrough)) ops.push(...s.processor.ingest(batch.driver, batch.samples));
  s.buffer.clear();
  s.append(ops);
  s.sendHeartbeat();
}

/** Stops serving: what waited for the Standby goes back to the clients, and the log aligns with the new Server. */
export function stepDown(s: PairState, reason: string, server: string | null): void {
  s.processor = null;
  s.replication.pause();
  for (const requestId of s.pending.takeAll()) {
    s.reply(requestId, { ok: false, code: 'notServer', message: `${s.config.self} stopped serving before the Standby confirmed this; send it again to the new Server.`, server });
  }
  s.setRole('aligning', server, reason);
  startAlignment(s);
}

/** A candidate hears the Server: it aligns its log before it replicates. */
export function follow(s: PairState): void {
  s.setRole('aligning', s.config.peer, `${s.config.peer} is the Server`);
  startAlignment(s);
}

/** The peer is in a newer epoch: persist it; a Server steps down at once. */
export function adoptEpoch(s: PairState, envelope: PeerEnvelope): void {
  s.epoch = envelope.epoch;
  s.out.push({ kind: 'persistEpoch', epoch: envelope.epoch });
  const serving = envelope.message.type === 'heartbeat' ? envelope.message.role === 'server' : envelope.message.type === 'append';
  const server = serving ? envelope.from : null;
  if (s.role === 'server') stepDown(s, `${envelope.from} serves at the higher epoch ${envelope.epoch}`, server);
  else s.server = server;
}
