import type { AlarmStatus } from '../../../shared/protocol/entities.js';
import type { LoggedOp, WriteOutcome } from '../../../shared/protocol/ops.js';
import type { LoggedWrite } from '../project/project-processor.js';

/** What a confirmed command leads to: an answer to the operator, or (a write) the values to write first. */
export interface ConfirmedCommand {
  requestId: string;
  alarms: AlarmStatus[];
  /** A write command whose command op is confirmed: the Server writes it now, and answers once its outcome is confirmed. */
  write: LoggedWrite | null;
  /** A write command whose outcome op is confirmed: the answer carries it. */
  outcomes: WriteOutcome[] | null;
}

interface Pending extends Omit<ConfirmedCommand, 'requestId'> {
  /** The op whose confirmation is awaited: the command op, or a write's outcome op. */
  opId: string;
  /** Where that op was stored; null until the store reports it. */
  seq: number | null;
}

/**
 * Operator commands the Server applied but has not yet confirmed: a confirmation promises that the
 * Standby holds the command too (or that there was no Standby to hold it). A write is confirmed
 * twice: its command before it is written, its outcome before the operator hears it.
 */
export class PendingCommands {
  private readonly pending = new Map<string, Pending>();

  get size(): number {
    return this.pending.size;
  }

  has(requestId: string): boolean {
    return this.pending.has(requestId);
  }

  add(requestId: string, opId: string, fields: Omit<ConfirmedCommand, 'requestId'>): void {
    this.pending.set(requestId, { opId, seq: null, ...fields });
  }

  stored(op: LoggedOp): void {
    if (op.kind !== 'command' && op.kind !== 'writeResult') return;
    const waiting = this.pending.get(op.requestId);
    if (waiting?.opId === op.id) waiting.seq = op.seq;
  }

  /** Takes out the commands the Standby holds (up to `standbySeq`), or all stored ones when null. */
  takeConfirmed(standbySeq: number | null): ConfirmedCommand[] {
    const confirmed: ConfirmedCommand[] = [];
    for (const [requestId, { opId: _opId, seq, ...fields }] of this.pending) {
      if (seq === null || (standbySeq !== null && seq > standbySeq)) continue;
      this.pending.delete(requestId);
      confirmed.push({ requestId, ...fields });
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
