import type { AlarmStatus } from '../../../shared/protocol/entities.js';
import type { LoggedOp } from '../../../shared/protocol/ops.js';

interface Pending {
  /** Where the command op was stored; null until the store reports it. */
  seq: number | null;
  alarms: AlarmStatus[];
}

/**
 * Operator commands the Server applied but has not yet confirmed: a confirmation promises that the
 * Standby holds the command too (or that there was no Standby to hold it).
 */
export class PendingCommands {
  private readonly pending = new Map<string, Pending>();

  get size(): number {
    return this.pending.size;
  }

  has(requestId: string): boolean {
    return this.pending.has(requestId);
  }

  add(requestId: string, alarms: AlarmStatus[]): void {
    this.pending.set(requestId, { seq: null, alarms });
  }

  stored(op: LoggedOp): void {
    const waiting = op.kind === 'command' ? this.pending.get(op.requestId) : undefined;
    if (waiting) waiting.seq = op.seq;
  }

  /** Takes out the commands the Standby holds (up to `standbySeq`), or all stored ones when null. */
  takeConfirmed(standbySeq: number | null): Array<{ requestId: string; alarms: AlarmStatus[] }> {
    const confirmed = [];
    for (const [requestId, waiting] of this.pending) {
      if (waiting.seq === null || (standbySeq !== null && waiting.seq > standbySeq)) continue;
      this.pending.delete(requestId);
      confirmed.push({ requestId, alarms: waiting.alarms });
    }
    return confirmed;
  }

  /** Takes out every command: this node stops serving before they were confirmed. */
  takeAll(): string[] {
    const requestIds = [...this.pending.keys()];
    this.pending.clear();
    return requestIds;
  }
}
