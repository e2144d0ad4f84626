import type { ProjectProcessor } from '../project/project-processor.js';
import type { LoggedOp, Op } from '../../../shared/protocol/ops.js';

/**
 * Ops a returning node recorded alone, merged by the Server as facts (the store skips ids it has).
 * Alarm states merge monotonically: the other node's state replaces ours only if it changed later,
 * so nothing the operators saw (an acknowledgement) is undone.
 */
export function mergeHandback(ops: readonly LoggedOp[], processor: ProjectProcessor, nowMs: number): Op[] {
  return ops.flatMap(({ epoch: _epoch, seq: _seq, ...op }): Op[] => {
    if (op.kind === 'recipe') return mergeRecipe(op, processor, nowMs);
    // Users merge like recipes: every version is kept in the log and the newest is current (isNewerUser).
    if (op.kind === 'user') processor.recordUser(op.user);
    if (op.kind !== 'alarm') return [op as Op];
    const current = processor.alarmStatus(op.status.alarmId);
    if (current && current.since >= op.status.since) return [{ ...op, status: current }];
    processor.restoreAlarm(op.status);
    return [op];
  });
}

/**
 * Recipe versions are kept, and the newest is current (recipe-version.ts). Two different saves of
 * the same version number were made on both sides of a split: the CEL says which one stayed current.
 */
function mergeRecipe(op: Extract<Op, { kind: 'recipe' }>, processor: ProjectProcessor, nowMs: number): Op[] {
  const current = processor.recipeVersion(op.recipe.recipeId);
  processor.recordRecipe(op.recipe);
  if (!current || current.version !== op.recipe.version || current.t === op.recipe.t) return [op];
  const kept = processor.recipeVersion(op.recipe.recipeId)!;
  const other = kept === current ? op.recipe : current;
  const text =
    `Recipe ${op.recipe.recipeId} version ${op.recipe.version} was saved on both nodes while they were apart: ` +
    `the one by ${kept.user ?? 'unknown'} stays current; the one by ${other.user ?? 'unknown'} (${JSON.stringify(other.values)}) is kept in the log only`;
  return [op, processor.systemEvent(nowMs, text)];
}
