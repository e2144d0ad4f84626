import type { AlarmState } from '../../../shared/protocol/entities.js';
import type { AlarmDef, TagDef } from '../../../shared/project/project-schema.js';
import type { TransitionCause } from '../../../shared/protocol/ops.js';

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
