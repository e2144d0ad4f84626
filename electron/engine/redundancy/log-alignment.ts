import type { EpochHistory } from './epoch-history.js';

/** What a follower does next while aligning its log with the Server's. */
export type AlignmentStep =
  | { kind: 'query'; epoch: number }
  | { kind: 'handBack'; fromSeq: number }
  | { kind: 'truncate'; keepSeq: number }
  | { kind: 'aligned' };

/**
 * A follower's alignment with a Server, before it replicates: find where the two logs part (by epoch
 * history: ask where the Server's part of our last epoch ends, both agree up to the smaller end),
 * hand the ops after that point to the Server, and once the Server has stored them, drop them here.
 */
export class LogAlignment {
  private divergedAfter: number | null = null;
  lastMessageMs: number;

  constructor(
    private readonly history: EpochHistory,
    nowMs: number,
  ) {
    this.lastMessageMs = nowMs;
  }

  /** The message to (re)send now: the question, or the handback from the divergence point. */
  next(nowMs: number): AlignmentStep {
    this.lastMessageMs = nowMs;
    return this.divergedAfter === null ? { kind: 'query', epoch: this.history.lastEpoch } : { kind: 'handBack', fromSeq: this.divergedAfter };
  }

  /** The Server's answer to a query: where its part of `epoch` (or the largest below) ends. */
  epochEnd(epoch: number, serverEndSeq: number, logEndSeq: number, nowMs: number): AlignmentStep | null {
    if (this.divergedAfter !== null) return null;
    if (epoch !== 0 && !this.history.has(epoch)) {
      // An epoch we never had: ask again about our own epoch below it.
      this.lastMessageMs = nowMs;
      return { kind: 'query', epoch: this.history.endOf(epoch, logEndSeq).epoch };
    }
    const divergedAfter = epoch === 0 ? 0 : Math.min(serverEndSeq, this.history.endOf(epoch, logEndSeq).endSeq);
    if (divergedAfter >= logEndSeq) return { kind: 'aligned' };
    this.divergedAfter = divergedAfter;
    return this.next(nowMs);
  }

  /** The Server stored our handed-back ops up to `throughSeq`. */
  handbackStored(throughSeq: number, logEndSeq: number, nowMs: number): AlignmentStep | null {
    if (this.divergedAfter === null) return null;
    if (throughSeq < logEndSeq) {
      this.lastMessageMs = nowMs;
      return { kind: 'handBack', fromSeq: throughSeq };
    }
    this.history.truncateAfter(this.divergedAfter);
    return { kind: 'truncate', keepSeq: this.divergedAfter };
  }
}
