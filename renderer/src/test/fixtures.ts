import type { AlarmStatus, CelEntry } from '../../../shared/protocol/entities.js';

export function alarm(overrides: Partial<AlarmStatus> & { alarmId: string }): AlarmStatus {
  return {
    tag: `${overrides.alarmId}.tag`,
    text: `text of ${overrides.alarmId}`,
    priority: 'medium',
    alarmClass: 'process',
    state: 'unackActive',
    conditionActive: true,
    since: 1_000,
    activeSince: 1_000,
    value: 1,
    ackUser: null,
    ackComment: null,
    shelvedUntil: null,
    ...overrides,
  };
}

export function celEntry(seq: number, overrides: Partial<CelEntry> = {}): CelEntry {
  return {
    id: `cel-${seq}`,
    seq,
    t: 1_700_000_000_000 + seq * 1_000,
    node: 'pc-a',
    kind: 'system',
    user: null,
    text: `event ${seq}`,
    alarmId: null,
    tag: null,
    state: null,
    ...overrides,
  };
}
