import { LogAlignment, type AlignmentStep } from './log-alignment.js';
import type { PairState } from './pair-state.js';

/** Before following a Server, find out whether our log has ops the Server's does not. */
export function startAlignment(s: PairState): void {
  s.alignment = new LogAlignment(s.history, s.nowMs);
  alignStep(s, s.alignment.next(s.nowMs));
}

/** Carries out what the alignment asks for next: a question, a handback, or the end of it. */
export function alignStep(s: PairState, step: AlignmentStep | null): void {
  switch (step?.kind) {
    case 'query':
      s.send({ type: 'epochQuery', epoch: step.epoch });
      return;
    case 'handBack':
      s.out.push({ kind: 'handBack', epoch: s.epoch, seq: step.fromSeq });
      return;
    case 'truncate':
      // The Server stored all of it: our divergent suffix gives way to the Server's log.
      s.out.push({ kind: 'truncateAfter', seq: step.keepSeq });
      s.seq = step.keepSeq;
      s.alignment = null;
      s.send({ type: 'ack', seq: s.seq });
      return;
    case 'aligned':
      s.alignment = null;
      s.send({ type: 'ack', seq: s.seq });
      return;
  }
}
