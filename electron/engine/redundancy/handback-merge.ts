import type { ProjectProcessor } from '../project/project-processor.js';
import type { LoggedOp, Op } from '../../../shared/protocol/ops.js';

/**
 * Ops a returning node recorded alone, merged by the Server as facts (the store skips ids it has).
 * Alarm states merge monotonically: the other node's state replaces ours only if it changed later,
 * so nothing the operators saw (an acknowledgement) is undone.
 */
export function mergeHandback(ops: readonly LoggedOp[], processor: ProjectProcessor): Op[] {
  return ops.map(({ epoch: _epoch, seq: _seq, ...op }) => {
    if (op.kind !== 'alarm') return op as Op;
    const current = processor.alarmStatus(op.status.alarmId);
    if (current && current.since >= op.status.since) return { ...op, status: current };
    processor.restoreAlarm(op.status);
    return op;
  });
}
