import type { AlarmState } from '../protocol/entities.js';

/**
 * The ISA-18.2 alarm state machine for one alarm. Pure: the caller decides when the process
 * condition changes (limits, deadband and delays are applied before this) and passes time in.
 *
 *   normal --active--> unackActive --ack--> ackActive --clear--> normal
 *                        |  ^                   |
 *                    clear  active            active/clear only
 *                        v  |
 *                      unackRtn --ack--> normal
 *
 * Shelving (by an operator, with an expiry) and suppression (by design) take the alarm out of
 * annunciation from any of the four states above; when either ends, the alarm re-enters
 * unackActive if its condition is active, else normal. Shelving wins over suppression.
 */

export interface AlarmCore {
  state: AlarmState;
  conditionActive: boolean;
  suppressedByDesign: boolean;
  since: number;
  activeSince: number | null;
  value: number | null;
  ackUser: string | null;
  ackComment: string | null;
  shelvedUntil: number | null;
}

export type AlarmEvent =
  | { kind: 'condition'; t: number; active: boolean; value: number }
  | { kind: 'ack'; t: number; user: string; comment: string }
  | { kind: 'shelve'; t: number; user: string; comment: string; untilMs: number }
  | { kind: 'unshelve'; t: number }
  | { kind: 'suppression'; t: number; suppressed: boolean };

export type AlarmStep =
  | { ok: true; next: AlarmCore; changed: boolean }
  | { ok: false; reason: string };

export function normalAlarm(t: number): AlarmCore {
  return {
    state: 'normal',
    conditionActive: false,
    suppressedByDesign: false,
    since: t,
    activeSince: null,
    value: null,
    ackUser: null,
    ackComment: null,
    shelvedUntil: null,
  };
}

export function applyAlarmEvent(core: AlarmCore, event: AlarmEvent): AlarmStep {
  switch (event.kind) {
    case 'condition':
      return onCondition(core, event.t, event.active, event.value);
    case 'ack':
      return onAck(core, event.t, event.user, event.comment);
    case 'shelve':
      return onShelve(core, event.t, event.untilMs);
    case 'unshelve':
      if (core.state !== 'shelved') return { ok: false, reason: 'the alarm is not shelved' };
      return moved(core, reenter(core, event.t), event.t);
    case 'suppression':
      return onSuppression(core, event.t, event.suppressed);
  }
}

function onCondition(core: AlarmCore, t: number, active: boolean, value: number): AlarmStep {
  const base = { ...core, conditionActive: active, value };
  if (core.state === 'shelved' || core.state === 'suppressed') return quiet(base);
  if (active === core.conditionActive) return quiet(base);
  if (active) {
    const rearmed = { ...base, activeSince: t, ackUser: null, ackComment: null };
    return moved(core, { ...rearmed, state: 'unackActive' }, t);
  }
  const state: AlarmState = core.state === 'ackActive' ? 'normal' : 'unackRtn';
  return moved(core, { ...base, state }, t);
}

function onAck(core: AlarmCore, t: number, user: string, comment: string): AlarmStep {
  const acked = { ...core, ackUser: user, ackComment: comment };
  switch (core.state) {
    case 'unackActive':
      return moved(core, { ...acked, state: 'ackActive' }, t);
    case 'unackRtn':
      return moved(core, { ...acked, state: 'normal' }, t);
    case 'ackActive':
      return { ok: false, reason: 'the alarm is already acknowledged' };
    case 'normal':
      return { ok: false, reason: 'the alarm is not in alarm' };
    case 'shelved':
      return { ok: false, reason: 'the alarm is shelved; unshelve it first' };
    case 'suppressed':
      return { ok: false, reason: 'the alarm is suppressed by design' };
  }
}

function onShelve(core: AlarmCore, t: number, untilMs: number): AlarmStep {
  if (untilMs <= t) return { ok: false, reason: 'the shelving must end in the future' };
  if (core.state === 'shelved') return { ok: false, reason: 'the alarm is already shelved' };
  return moved(core, { ...core, state: 'shelved', shelvedUntil: untilMs }, t);
}

function onSuppression(core: AlarmCore, t: number, suppressed: boolean): AlarmStep {
  const base = { ...core, suppressedByDesign: suppressed };
  if (suppressed === core.suppressedByDesign || core.state === 'shelved') return quiet(base);
  if (suppressed) return moved(core, { ...base, state: 'suppressed' }, t);
  return moved(core, reenter(base, t), t);
}

/** Leaving shelving or suppression: annunciate afresh what is active now. */
function reenter(core: AlarmCore, t: number): AlarmCore {
  const cleared = { ...core, shelvedUntil: null, ackUser: null, ackComment: null };
  if (core.suppressedByDesign && core.state === 'shelved') return { ...cleared, state: 'suppressed' };
  if (core.conditionActive) return { ...cleared, state: 'unackActive', activeSince: t };
  return { ...cleared, state: 'normal' };
}

function moved(before: AlarmCore, next: AlarmCore, t: number): AlarmStep {
  return { ok: true, next: { ...next, since: next.state === before.state ? before.since : t }, changed: next.state !== before.state };
}

function quiet(next: AlarmCore): AlarmStep {
  return { ok: true, next, changed: false };
}
