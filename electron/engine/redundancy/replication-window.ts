import { APPEND_OPS_MAX } from '../../../shared/protocol/peer.js';
import type { LoggedOp } from '../../../shared/protocol/ops.js';

/** Ops stored but not yet acknowledged that the lag in ms is computed over, at most. */
export const LAG_OPS_MAX = 20_000;
/**
 * Ops streamed live but not yet acknowledged, past which the Server stops streaming and ships what
 * accumulates as one batch per acknowledgement: a Standby that falls behind gets fewer, larger
 * appends instead of a queue that grows until the link gives up.
 */
export const LIVE_IN_FLIGHT_OPS_MAX = 32;
/** The longest acknowledgement delay that lengthens the patience before shipping again. */
const ACK_DELAY_COUNTED_MAX_MS = 2_000;

/**
 * The Server's view of what its Standby holds. While the Standby keeps up, new ops stream to it as
 * they are stored ("live"); otherwise the Server ships stored ops from the acknowledged position, one
 * batch per acknowledgement that shows progress. An append lost in transit (a lossy network; TCP
 * loses nothing within one connection) is shipped again once nothing progresses for a while.
 */
export class ReplicationWindow {
  ackedSeq = 0;
  private sentSeq = 0;
  private live = false;
  private progressAtMs = 0;
  /** How long the Standby last took to acknowledge progress: a busy Standby is not a lost append. */
  private ackDelayMs = 0;
  /** When each op not yet acknowledged was stored: the lag in ms. */
  private unacked: Array<{ seq: number; atMs: number }> = [];

  reset(): void {
    this.ackedSeq = 0;
    this.sentSeq = 0;
    this.live = false;
    this.unacked = [];
    this.ackDelayMs = 0;
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
    // Nothing was in flight: the Standby's next acknowledgement answers this send.
    if (this.ackedSeq >= this.sentSeq) this.progressAtMs = nowMs;
    const appends = [];
    for (let i = 0; i < ops.length; i += APPEND_OPS_MAX) {
      const chunk = ops.slice(i, i + APPEND_OPS_MAX);
      appends.push({ prevSeq: chunk[0]!.seq - 1, ops: chunk });
    }
    this.sentSeq = last.seq;
    if (this.sentSeq - this.ackedSeq > LIVE_IN_FLIGHT_OPS_MAX) this.live = false;
    return appends;
  }

  /** The Standby holds everything up to `seq`. Returns the seq to ship from, or null. */
  acknowledged(seq: number, logEndSeq: number, nowMs: number): number | null {
    const progressed = seq > this.ackedSeq;
    const inFlight = this.sentSeq > this.ackedSeq;
    if (progressed) {
      this.ackDelayMs = Math.min(ACK_DELAY_COUNTED_MAX_MS, nowMs - this.progressAtMs);
      this.progressAtMs = nowMs;
    }
    this.ackedSeq = seq;
    while (this.unacked.length > 0 && this.unacked[0]!.seq <= seq) this.unacked.shift();
    if (seq >= logEndSeq) {
      this.live = true;
      this.sentSeq = logEndSeq;
      return null;
    }
    // Without progress while a shipment is in flight, the Standby is busy with it (its heartbeats ack
    // too): shipping it again would only queue it twice. A lost one is shipped again by stalled().
    return seq >= this.sentSeq || (!this.live && (progressed || !inFlight)) ? this.ship(seq, logEndSeq, nowMs) : null;
  }

  /**
   * Nothing acknowledged for a while although ops are in flight: ship again from the last ack. A while
   * is `patienceMs`, or four times what the Standby last took, whichever is longer.
   */
  stalled(logEndSeq: number, nowMs: number, patienceMs: number): number | null {
    if (this.ackedSeq >= this.sentSeq || nowMs - this.progressAtMs <= Math.max(patienceMs, 4 * this.ackDelayMs)) return null;
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
