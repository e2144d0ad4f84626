import { APPEND_OPS_MAX } from '../../../shared/protocol/peer.js';
import type { LoggedOp } from '../../../shared/protocol/ops.js';

/** Ops sent to the Standby but not yet acknowledged, past which live streaming pauses for catch-up. */
export const LAG_OPS_MAX = 20_000;

/**
 * The Server's view of what its Standby holds. While the Standby keeps up, new ops stream to it as
 * they are stored ("live"); otherwise the Server ships stored ops from the acknowledged position, one
 * batch per acknowledgement. An acknowledgement that repeats while more is in flight means an append
 * was lost: shipping resumes from there.
 */
export class ReplicationWindow {
  ackedSeq = 0;
  private sentSeq = 0;
  private live = false;
  private progressAtMs = 0;
  /** When each op not yet acknowledged was stored: the lag in ms. */
  private unacked: Array<{ seq: number; atMs: number }> = [];

  reset(): void {
    this.ackedSeq = 0;
    this.sentSeq = 0;
    this.live = false;
    this.unacked = [];
  }

  /** The link broke or the node stopped serving: what is in flight may be lost. */
  pause(): void {
    this.live = false;
  }

  /** Newly stored ops: the appends to send now (none unless streaming live). */
  stored(ops: readonly LoggedOp[], nowMs: number, linkUp: boolean): Array<{ prevSeq: number; ops: LoggedOp[] }> {
    const last = ops.at(-1);
    if (!last) return [];
    this.unacked.push({ seq: last.seq, atMs: nowMs });
    if (this.unacked.length > LAG_OPS_MAX) this.unacked = this.unacked.slice(-LAG_OPS_MAX);
    if (!this.live || !linkUp) return [];
    if (ops[0]!.seq !== this.sentSeq + 1) {
      this.live = false;
      return [];
    }
    const appends = [];
    for (let i = 0; i < ops.length; i += APPEND_OPS_MAX) {
      const chunk = ops.slice(i, i + APPEND_OPS_MAX);
      appends.push({ prevSeq: chunk[0]!.seq - 1, ops: chunk });
    }
    this.sentSeq = last.seq;
    if (this.sentSeq - this.ackedSeq > LAG_OPS_MAX) this.live = false;
    return appends;
  }

  /** The Standby holds everything up to `seq`. Returns the seq to ship from, or null. */
  acknowledged(seq: number, logEndSeq: number, nowMs: number): number | null {
    const repeated = seq <= this.ackedSeq && seq < this.sentSeq;
    if (seq > this.ackedSeq) this.progressAtMs = nowMs;
    this.ackedSeq = seq;
    while (this.unacked.length > 0 && this.unacked[0]!.seq <= seq) this.unacked.shift();
    if (seq >= logEndSeq) {
      this.live = true;
      this.sentSeq = logEndSeq;
      return null;
    }
    return !this.live || repeated || seq >= this.sentSeq ? this.ship(seq, logEndSeq, nowMs) : null;
  }

  /** Nothing acknowledged for a while although ops are in flight: ship again from the last ack. */
  stalled(logEndSeq: number, nowMs: number, patienceMs: number): number | null {
    if (this.ackedSeq >= this.sentSeq || nowMs - this.progressAtMs <= patienceMs) return null;
    return this.ship(this.ackedSeq, logEndSeq, nowMs);
  }

  lagOps(logEndSeq: number): number {
    return logEndSeq - this.ackedSeq;
  }

  lagMs(nowMs: number): number {
    const oldest = this.unacked[0];
    return oldest ? nowMs - oldest.atMs : 0;
  }

  private ship(fromSeq: number, logEndSeq: number, nowMs: number): number {
    this.live = false;
    this.progressAtMs = nowMs;
    this.sentSeq = Math.min(logEndSeq, fromSeq + APPEND_OPS_MAX);
    return fromSeq;
  }
}
