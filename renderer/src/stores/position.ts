import type { Position } from '../../../shared/protocol/entities.js';

/** Positions order by epoch first, then seq (ARCHITECTURE.md, "The replicated log"). */
export function comparePositions(a: Position, b: Position): number {
  return a.epoch !== b.epoch ? a.epoch - b.epoch : a.seq - b.seq;
}

export function laterPosition(a: Position | null, b: Position | null): Position | null {
  if (a === null) return b;
  if (b === null) return a;
  return comparePositions(a, b) >= 0 ? a : b;
}
