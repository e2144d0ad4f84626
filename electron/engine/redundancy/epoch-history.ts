/** Where an epoch's ops start in a project's log. */
export interface EpochStart {
  epoch: number;
  seq: number;
}

/**
 * The epochs present in a log and the seq each starts at (Kafka's leader-epoch cache). Two nodes
 * find where their logs part by comparing these alone: the ops of one epoch are written by that
 * epoch's single Server, so both logs agree up to the smaller end of the last epoch they share.
 */
export class EpochHistory {
  private readonly starts: EpochStart[];

  constructor(starts: readonly EpochStart[]) {
    this.starts = [...starts].sort((a, b) => a.seq - b.seq);
  }

  get lastEpoch(): number {
    return this.starts.at(-1)?.epoch ?? 0;
  }

  /** Records that ops of `epoch` were logged from `seq` on (a no-op while the epoch continues). */
  logged(epoch: number, seq: number): void {
    if (this.lastEpoch !== epoch) this.starts.push({ epoch, seq });
  }

  truncateAfter(seq: number): void {
    while (this.starts.length > 0 && this.starts.at(-1)!.seq > seq) this.starts.pop();
  }

  has(epoch: number): boolean {
    return this.starts.some((start) => start.epoch === epoch);
  }

  /**
   * The largest epoch in this log not above `epoch`, and the last seq it covers here (the log end
   * for the newest epoch). Epoch 0 and seq 0 when there is none.
   */
  endOf(epoch: number, logEndSeq: number): { epoch: number; endSeq: number } {
    let index = -1;
    for (let i = 0; i < this.starts.length; i++) if (this.starts[i]!.epoch <= epoch) index = i;
    if (index < 0) return { epoch: 0, endSeq: 0 };
    const next = this.starts[index + 1];
    return { epoch: this.starts[index]!.epoch, endSeq: next ? next.seq - 1 : logEndSeq };
  }
}
