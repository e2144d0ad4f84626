import type { AlarmState } from '../../../shared/protocol/entities.js';
import type { AlarmDef, TagDef } from '../../../shared/project/project-schema.js';
import type { RecipeVersion, TagWrite, TransitionCause, WriteOutcome } from '../../../shared/protocol/ops.js';

const STATE_WORDS: Record<AlarmState, string> = {
  normal: 'returned to normal',
  unackActive: 'active',
  ackActive: 'active, acknowledged',
  unackRtn: 'returned to normal, not acknowledged',
  shelved: 'shelved',
  suppressed: 'suppressed by design',
};

/** The sentence a CEL entry shows for an alarm transition. */
export function alarmTransitionText(input: {
  def: AlarmDef;
  tag: TagDef | undefined;
  from: AlarmState;
  to: AlarmState;
  cause: TransitionCause;
  value: number | null;
  user: string | null;
  comment: string | null;
  shelvedUntil: number | null;
  t: number;
}): string {
  const { def, tag, from, to, cause, user, comment } = input;
  const value = input.value === null ? '' : ` (${formatValue(input.value, tag)})`;
  const note = comment ? ` — "${comment}"` : '';
  if (cause === 'operator' && to === 'shelved') {
    const forMs = input.shelvedUntil === null ? 0 : input.shelvedUntil - input.t;
    return `${def.text}: shelved by ${user ?? 'unknown'} for ${formatDuration(forMs)}${note}`;
  }
  if (cause === 'operator' && from === 'shelved') return `${def.text}: unshelved by ${user ?? 'unknown'}, now ${STATE_WORDS[to]}${note}`;
  if (cause === 'operator') return `${def.text}: acknowledged by ${user ?? 'unknown'}${note}`;
  if (cause === 'shelveExpiry') return `${def.text}: shelving expired, now ${STATE_WORDS[to]}`;
  if (cause === 'design' && from === 'suppressed') return `${def.text}: suppression ended, now ${STATE_WORDS[to]}${value}`;
  return `${def.text}: ${STATE_WORDS[to]}${value}`;
}

/** The sentence a CEL entry shows for what a write command did (a setpoint, or a recipe download). */
export function writeResultText(input: {
  writes: readonly TagWrite[];
  outcomes: readonly WriteOutcome[];
  recipe: { name: string; version: number } | null;
  user: string;
  tags: ReadonlyMap<string, TagDef>;
  abandoned: string | null;
}): string {
  const { outcomes, recipe, user, tags } = input;
  const what = recipe ? `Recipe "${recipe.name}" (version ${recipe.version})` : input.writes.map((w) => `${w.tag} = ${formatValue(w.value, tags.get(w.tag))}`).join(', ');
  if (input.abandoned) return `${what}, written by ${user}: not written, ${input.abandoned}`;
  const failed = outcomes.filter((o) => !o.ok);
  if (failed.length === 0) return recipe ? `${what} downloaded by ${user}: ${outcomes.length} values written` : `${what} written by ${user}`;
  const reasons = failed.slice(0, 3).map((o) => `${o.tag}: ${o.error ?? 'refused'}`).join('; ');
  const more = failed.length > 3 ? `; and ${failed.length - 3} more` : '';
  return recipe
    ? `${what} downloaded by ${user}: ${failed.length} of ${outcomes.length} values failed (${reasons}${more})`
    : `${what}, written by ${user}: failed (${reasons}${more})`;
}

/** The sentence a CEL entry shows for a new recipe version: which values changed. */
export function recipeVersionText(input: { name: string; before: RecipeVersion; after: RecipeVersion; uploaded: boolean; tags: ReadonlyMap<string, TagDef> }): string {
  const { name, before, after, tags } = input;
  const changes = Object.entries(after.values)
    .filter(([tag, value]) => before.values[tag] !== value)
    .map(([tag, value]) => `${tag} ${before.values[tag] === undefined ? '' : `${formatValue(before.values[tag]!, tags.get(tag))} → `}${formatValue(value, tags.get(tag))}`);
  const how = input.uploaded ? 'uploaded from the plant' : 'edited';
  return `Recipe "${name}" ${how} by ${after.user ?? 'unknown'}, version ${after.version}: ${changes.length > 0 ? changes.join(', ') : 'no value changed'}`;
}

/** One of two changes of the same version of an item, as the conflict entry names it. */
export interface ConflictSide {
  user: string | null;
  t: number;
  /** Which node had it: "held by pc-a", "handed back by pc-b". */
  where: string;
  /** What it set, in words (never a password or its hash). */
  details: string;
}

/**
 * The sentence a CEL entry shows for two different changes of the same version of one item, made on
 * both sides of a split: which one stays current and why (the later one), and which is only in the log.
 */
export function versionConflictText(input: { subject: string; version: number; verb: 'saved' | 'changed'; kept: ConflictSide; other: ConflictSide; note: string }): string {
  const { subject, version, verb, kept, other } = input;
  const noun = verb === 'saved' ? 'save' : 'change';
  return (
    `Version ${version} of ${subject} was ${verb} on both nodes while they were apart. ` +
    `Current: the later ${noun}, by ${kept.user ?? 'unknown'}, ${kept.where} (${kept.details}). ` +
    `Kept in the log only: the ${noun} by ${other.user ?? 'unknown'} ${formatGap(kept.t - other.t)} earlier, ${other.where} (${other.details}).${input.note}`
  );
}

function formatValue(value: number, tag: TagDef | undefined): string {
  if (tag?.type === 'boolean') return value ? 'on' : 'off';
  const rounded = Number.isInteger(value) ? String(value) : value.toFixed(2);
  return tag?.unit ? `${rounded} ${tag.unit}` : rounded;
}

function formatDuration(ms: number): string {
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.round(ms / 60_000);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  return minutes % 60 === 0 ? `${hours} h` : `${hours} h ${minutes % 60} min`;
}

/** A time between two changes: milliseconds apart matter when both nodes saved within a second. */
function formatGap(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return formatDuration(ms);
}
