import type { ProjectProcessor } from '../project/project-processor.js';
import { versionConflictText, type ConflictSide } from '../project/cel-text.js';
import { isNewerVersion, type VersionedRecord } from '../../../shared/domain/versioned-record.js';
import type { UserRecord } from '../../../shared/domain/user-role.js';
import { pairSettingsOpId, recipeOpId, userOpId, type LoggedOp, type Op, type PairSettings } from '../../../shared/protocol/ops.js';
import type { PairState } from './pair-state.js';

type OpOf<K extends Op['kind']> = Extract<Op, { kind: K }>;

/** What the Server merging a handback works with; `settings` follows the pair settings merged so far. */
interface Merge {
  processor: ProjectProcessor;
  nowMs: number;
  self: string;
  peer: string;
  settings: PairSettings;
}

/**
 * Ops a returning node recorded alone, merged by the Server as facts (the store skips ids it has).
 * Alarm states merge monotonically: the other node's state replaces ours only if it changed later,
 * so nothing the operators saw (an acknowledgement) is undone. Versioned items (recipes, users, the
 * pair's role settings) keep every version in the log and the newest is current; two different
 * changes of the same version are a conflict the CEL shows (versionConflict).
 */
export function mergeHandback(ops: readonly LoggedOp[], s: PairState): Op[] {
  const merge: Merge = { processor: s.processor!, nowMs: s.nowMs, self: s.config.self, peer: s.config.peer!, settings: s.settings };
  return ops.flatMap(({ epoch: _epoch, seq: _seq, ...logged }): Op[] => {
    const op = logged as Op;
    switch (op.kind) {
      case 'recipe':
        return mergeRecipe(op, merge);
      case 'user':
        return mergeUser(op, merge);
      case 'pairSettings':
        return mergePairSettings(op, merge);
      case 'alarm':
        return [mergeAlarm(op, merge.processor)];
      default:
        return [op];
    }
  });
}

function mergeAlarm(op: OpOf<'alarm'>, processor: ProjectProcessor): Op {
  const current = processor.alarmStatus(op.status.alarmId);
  if (current && current.since >= op.status.since) return { ...op, status: current };
  processor.restoreAlarm(op.status);
  return op;
}

/** Recipe versions are kept, and the newest is current (recipe-book.ts). */
function mergeRecipe(op: OpOf<'recipe'>, merge: Merge): Op[] {
  const held = merge.processor.recipeVersion(op.recipe.recipeId);
  merge.processor.recordRecipe(op.recipe);
  const change = (recipe: typeof op.recipe): Change => ({ record: recipe, opId: recipeOpId(recipe), details: JSON.stringify(recipe.values) });
  return [op, ...versionConflict(merge, { subject: `recipe ${op.recipe.recipeId}`, verb: 'saved', held: held && change(held), handedBack: change(op.recipe) })];
}

/** User versions are kept, and the newest is current (isNewerUser). */
function mergeUser(op: OpOf<'user'>, merge: Merge): Op[] {
  const held = merge.processor.userRecord(op.user.name);
  merge.processor.recordUser(op.user);
  const change = (user: UserRecord): Change => ({
    // isNewerUser is isNewerVersion with the acting user as the user.
    record: { version: user.version, t: user.t, user: user.by },
    opId: userOpId(user),
    details: `${user.role}, ${user.disabled ? 'disabled' : 'enabled'}`,
    secret: user.passwordHash,
  });
  // Never the hash itself: only whether the two changes leave the user with different ones.
  const note = held && held.passwordHash !== op.user.passwordHash ? ' The password that applies is the current change\'s.' : '';
  return [op, ...versionConflict(merge, { subject: `user ${op.user.name}`, verb: 'changed', held: held && change(held), handedBack: change(op.user), note })];
}

/** The pair's role settings: every version is logged, and the newest steers both nodes (log-mirror.ts). */
function mergePairSettings(op: OpOf<'pairSettings'>, merge: Merge): Op[] {
  const held = merge.settings;
  if (isNewerVersion(op.settings, held)) merge.settings = op.settings;
  const change = (settings: PairSettings): Change => ({ record: settings, opId: pairSettingsOpId(settings), details: settingsWords(settings) });
  return [op, ...versionConflict(merge, { subject: "the pair's role settings", verb: 'changed', held: change(held), handedBack: change(op.settings) })];
}

function settingsWords({ preferred, frozen, outOfService }: PairSettings): string {
  const service = outOfService.length > 0 ? `${outOfService.join(', ')} out of service` : 'every node in service';
  return `preferred Server ${preferred}, roles ${frozen ? 'frozen' : 'not frozen'}, ${service}`;
}

/** A version of an item as the merge meets it: the record and the id of the op that logged it. */
interface Change {
  record: VersionedRecord;
  opId: string;
  /** What it set, in words for the CEL (never a password or its hash). */
  details: string;
  /** What else it set, compared with the other change but never shown (a password hash). */
  secret?: string;
}

/**
 * The CEL entry for two different changes of the same version of one item, made on both sides of a
 * split: the one the Server held and the one the returning node hands back. None when the versions
 * differ (the newer one simply wins), for the same change again (one op id), or for two changes that
 * set the same (nothing is lost whichever stays current). Which change stays current does not depend
 * on which node merges (isNewerVersion: the later one), and only the Server merges, so the entry is
 * made once and reaches the other node by replication. Its id is made of the two changes' op ids: a
 * handback received twice (resent, duplicated) logs it once (the store skips ids it has).
 */
function versionConflict(merge: Merge, conflict: { subject: string; verb: 'saved' | 'changed'; held: Change | undefined; handedBack: Change; note?: string }): Op[] {
  const { held, handedBack } = conflict;
  if (!held || held.record.version !== handedBack.record.version || held.opId === handedBack.opId || setTheSame(held, handedBack)) return [];
  const [kept, other] = isNewerVersion(held.record, handedBack.record) ? [held, handedBack] : [handedBack, held];
  const side = (change: Change): ConflictSide => ({
    user: change.record.user,
    t: change.record.t,
    where: change === held ? `held by ${merge.self}` : `handed back by ${merge.peer}`,
    details: change.details,
  });
  const text = versionConflictText({ subject: conflict.subject, version: held.record.version, verb: conflict.verb, kept: side(kept), other: side(other), note: conflict.note ?? '' });
  return [merge.processor.systemEvent(merge.nowMs, text, `conflict/${kept.opId}/${other.opId}`)];
}

function setTheSame(a: Change, b: Change): boolean {
  return a.details === b.details && a.secret === b.secret;
}
