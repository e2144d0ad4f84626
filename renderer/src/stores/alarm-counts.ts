import type { AlarmPriority, AlarmState, AlarmStatus } from '../../../shared/protocol/entities.js';

export const PRIORITIES: readonly AlarmPriority[] = ['urgent', 'high', 'medium', 'low'];

export function isActiveState(state: AlarmState): boolean {
  return state === 'unackActive' || state === 'ackActive';
}

export function isUnacknowledgedState(state: AlarmState): boolean {
  return state === 'unackActive' || state === 'unackRtn';
}

export interface PriorityCounts {
  active: number;
  unacknowledged: number;
}

export interface AlarmCounts {
  active: number;
  unacknowledged: number;
  shelved: number;
  suppressed: number;
  byPriority: Record<AlarmPriority, PriorityCounts>;
}

export function emptyAlarmCounts(): AlarmCounts {
  return {
    active: 0,
    unacknowledged: 0,
    shelved: 0,
    suppressed: 0,
    byPriority: {
      urgent: { active: 0, unacknowledged: 0 },
      high: { active: 0, unacknowledged: 0 },
      medium: { active: 0, unacknowledged: 0 },
      low: { active: 0, unacknowledged: 0 },
    },
  };
}

export function countAlarms(alarms: Iterable<AlarmStatus>): AlarmCounts {
  const counts = emptyAlarmCounts();
  for (const alarm of alarms) {
    const perPriority = counts.byPriority[alarm.priority];
    if (isActiveState(alarm.state)) {
      counts.active++;
      perPriority.active++;
    }
    if (isUnacknowledgedState(alarm.state)) {
      counts.unacknowledged++;
      perPriority.unacknowledged++;
    }
    if (alarm.state === 'shelved') counts.shelved++;
    if (alarm.state === 'suppressed') counts.suppressed++;
  }
  return counts;
}
