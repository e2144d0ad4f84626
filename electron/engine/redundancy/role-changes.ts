import type { PeerEnvelope } from '../../../shared/protocol/peer.js';
import type { Op, RoleChange, ServeReason } from '../../../shared/protocol/ops.js';
import { ProjectProcessor } from '../project/project-processor.js';
import { startAlignment } from './alignment-steps.js';
import type { PairState } from './pair-state.js';

/**
 * A write command its old Server did not finish is written by the new one only this soon after it
 * was logged: setpoints are absolute, so writing one twice does no harm, but writing one minutes
 * late could override what the plant has done since. Older ones are logged as not written.
 */
export const WRITE_REDO_WINDOW_MS = 30_000;

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
export function promote(s: PairState, reason: string, reasonCode: ServeReason, gapMs: number | null): void {
  s.alignment = null;
  s.handingOverSeq = null;
  s.switchoverRequestedAtMs = null;
  s.epoch = nextEpoch(s);
  s.out.push({ kind: 'persistEpoch', epoch: s.epoch });
  s.handoverAtSeq = null;
  s.handoverHeardAtMs = null;
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
  const event = s.processor.systemEvent(s.nowMs, text);
  const change: RoleChange = { node: s.config.self, epoch: s.epoch, reasonCode, reason, gapMs: gapMs === null ? null : Math.max(0, gapMs) };
  const ops: Op[] = event.kind === 'cel' ? [{ id: event.id, kind: 'roleChange', t: s.nowMs, change, cel: event.cel }] : [event];
  // The detection gap: what our own drivers read after the last batch the old Server processed.
  for (const batch of s.buffer.after(s.mirror.processedThrough)) ops.push(...s.processor.ingest(batch.driver, batch.samples));
  s.buffer.clear();
  for (const write of s.mirror.unfinishedWrites.values()) {
    if (s.nowMs - write.t <= WRITE_REDO_WINDOW_MS) {
      s.writing.set(write.requestId, write);
      s.out.push({ kind: 'write', requestId: write.requestId, writes: write.command.writes });
    } else {
      const seconds = Math.round((s.nowMs - write.t) / 1000);
      ops.push(s.processor.writeResult(write, [], s.nowMs, `its Server stopped before writing it ${seconds} s ago, too long ago to write it now; check the value and write it again if it is still wanted`));
    }
  }
  s.append(ops);
  s.sendHeartbeat();
}

/** Stops serving: what waited for the Standby goes back to the clients, and the log aligns with the new Server. */
export function stepDown(s: PairState, reason: string, server: string | null): void {
  s.processor = null;
  s.replication.pause();
  const writing = [...s.writing.keys()];
  s.writing.clear();
  for (const requestId of [...s.pending.takeAll(), ...writing]) {
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
