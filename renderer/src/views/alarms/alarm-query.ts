import type { AlarmPriority, AlarmState, AlarmStatus } from '../../../../shared/protocol/entities.js';
import { isActiveState, isUnacknowledgedState } from '../../stores/alarm-counts.js';

export type AlarmSortKey = 'time' | 'priority' | 'state' | 'tag' | 'text' | 'value' | 'ackUser';

export interface AlarmSort {
  key: AlarmSortKey;
  descending: boolean;
}

/** Which alarms the list shows; `standing` is everything not back to normal. */
export type StateFilter = 'standing' | 'unacknowledged' | 'active' | 'shelved' | 'suppressed';

export const STATE_FILTER_LABEL: Record<StateFilter, string> = {
  standing: 'All states',
  unacknowledged: 'Unacknowledged',
  active: 'Active',
  shelved: 'Shelved',
  suppressed: 'Suppressed',
};

export interface AlarmFilter {
  text: string;
  priorities: ReadonlySet<AlarmPriority>;
  state: StateFilter;
}

const PRIORITY_RANK: Record<AlarmPriority, number> = { urgent: 0, high: 1, medium: 2, low: 3 };

/** The order an operator works through states: what needs action first. */
const STATE_RANK: Record<AlarmState, number> = {
  unackActive: 0,
  unackRtn: 1,
  ackActive: 2,
  shelved: 3,
  suppressed: 4,
  normal: 5,
};

export function matchesState(state: AlarmState, filter: StateFilter): boolean {
  switch (filter) {
    case 'standing':
      return state !== 'normal';
    case 'unacknowledged':
      return isUnacknowledgedState(state);
    case 'active':
      return isActiveState(state);
    case 'shelved':
      return state === 'shelved';
    case 'suppressed':
      return state === 'suppressed';
  }
}

export function matchesAlarm(alarm: AlarmStatus, filter: AlarmFilter, needle = filter.text.trim().toLowerCase()): boolean {
  if (!filter.priorities.has(alarm.priority) || !matchesState(alarm.state, filter.state)) return false;
  if (!needle) return true;
  return (
    alarm.tag.toLowerCase().includes(needle) ||
    alarm.text.toLowerCase().includes(needle) ||
    alarm.alarmId.toLowerCase().includes(needle) ||
    (alarm.ackUser?.toLowerCase().includes(needle) ?? false)
  );
}

/** Sorting ascending by the key; ties fall back to priority, then newest first, then id, so rows never swap at random. */
function compareBy(key: AlarmSortKey, a: AlarmStatus, b: AlarmStatus): number {
  switch (key) {
    case 'time':
      return (a.activeSince ?? a.since) - (b.activeSince ?? b.since);
    case 'priority':
      return PRIORITY_RANK[b.priority] - PRIORITY_RANK[a.priority];
    case 'state':
      return STATE_RANK[b.state] - STATE_RANK[a.state];
    case 'tag':
      return a.tag.localeCompare(b.tag);
    case 'text':
      return a.text.localeCompare(b.text);
    case 'value':
      return (a.value ?? -Infinity) - (b.value ?? -Infinity);
    case 'ackUser':
      return (a.ackUser ?? '').localeCompare(b.ackUser ?? '');
  }
}

function tieBreak(a: AlarmStatus, b: AlarmStatus): number {
  return (
    PRIORITY_RANK[a.priority] - PRIORITY_RANK[b.priority] ||
    (b.activeSince ?? b.since) - (a.activeSince ?? a.since) ||
    (a.alarmId < b.alarmId ? -1 : a.alarmId > b.alarmId ? 1 : 0)
  );
}

export function queryAlarms(alarms: Iterable<AlarmStatus>, filter: AlarmFilter, sort: AlarmSort): AlarmStatus[] {
  const needle = filter.text.trim().toLowerCase();
  const rows: AlarmStatus[] = [];
  for (const alarm of alarms) if (matchesAlarm(alarm, filter, needle)) rows.push(alarm);
  const sign = sort.descending ? -1 : 1;
  return rows.sort((a, b) => sign * compareBy(sort.key, a, b) || tieBreak(a, b));
}

/** Header clicks: a new column sorts in its natural direction, the same column flips. */
export function nextSort(current: AlarmSort, key: AlarmSortKey): AlarmSort {
  if (current.key === key) return { key, descending: !current.descending };
  return { key, descending: key === 'time' || key === 'priority' || key === 'state' };
}

/** Splits ids into request bodies below the server's size limit (REQUEST_BODY_BYTES_MAX). */
export function chunkIdsByBytes(ids: readonly string[], bytesMax: number, overheadBytes = 512): string[][] {
  const chunks: string[][] = [];
  let chunk: string[] = [];
  let bytes = overheadBytes;
  for (const id of ids) {
    const idBytes = new TextEncoder().encode(JSON.stringify(id)).length + 1;
    if (chunk.length > 0 && bytes + idBytes > bytesMax) {
      chunks.push(chunk);
      chunk = [];
      bytes = overheadBytes;
    }
    chunk.push(id);
    bytes += idBytes;
  }
  if (chunk.length > 0) chunks.push(chunk);
  return chunks;
}
