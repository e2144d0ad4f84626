import { describe, expect, it } from 'vitest';
import { PRIORITIES } from '../../stores/alarm-counts.js';
import { alarm } from '../../test/fixtures.js';
import { chunkIdsByBytes, nextSort, queryAlarms, type AlarmFilter } from './alarm-query.js';

const all: AlarmFilter = { text: '', priorities: new Set(PRIORITIES), state: 'standing' };
const ids = (rows: readonly { alarmId: string }[]) => rows.map((a) => a.alarmId);

const alarms = [
  alarm({ alarmId: 'A', priority: 'low', activeSince: 3_000, tag: 'Boiler.Temp', text: 'Boiler hot' }),
  alarm({ alarmId: 'B', priority: 'urgent', activeSince: 1_000, state: 'ackActive', ackUser: 'jane' }),
  alarm({ alarmId: 'C', priority: 'high', activeSince: 2_000, state: 'unackRtn' }),
  alarm({ alarmId: 'D', priority: 'medium', activeSince: 4_000, state: 'shelved' }),
];

describe('queryAlarms', () => {
  it('sorts newest first by default and oldest first when flipped', () => {
    expect(ids(queryAlarms(alarms, all, { key: 'time', descending: true }))).toEqual(['D', 'A', 'C', 'B']);
    expect(ids(queryAlarms(alarms, all, { key: 'time', descending: false }))).toEqual(['B', 'C', 'A', 'D']);
  });

  it('sorts by priority with the most urgent first', () => {
    expect(ids(queryAlarms(alarms, all, { key: 'priority', descending: true }))).toEqual(['B', 'C', 'D', 'A']);
  });

  it('filters by text in tag, text and ack user, case-insensitively', () => {
    expect(ids(queryAlarms(alarms, { ...all, text: 'boiler' }, { key: 'time', descending: true }))).toEqual(['A']);
    expect(ids(queryAlarms(alarms, { ...all, text: 'JANE' }, { key: 'time', descending: true }))).toEqual(['B']);
  });

  it('filters by priority and by state', () => {
    const sort = { key: 'time', descending: true } as const;
    expect(ids(queryAlarms(alarms, { ...all, priorities: new Set(['urgent', 'high'] as const) }, sort))).toEqual(['C', 'B']);
    expect(ids(queryAlarms(alarms, { ...all, state: 'unacknowledged' }, sort))).toEqual(['A', 'C']);
    expect(ids(queryAlarms(alarms, { ...all, state: 'active' }, sort))).toEqual(['A', 'B']);
    expect(ids(queryAlarms(alarms, { ...all, state: 'shelved' }, sort))).toEqual(['D']);
  });

  it('stays fast enough for 10,000 alarms', () => {
    const many = Array.from({ length: 10_000 }, (_, i) => alarm({ alarmId: `X${i}`, activeSince: i, priority: PRIORITIES[i % 4]! }));
    const rows = queryAlarms(many, all, { key: 'priority', descending: true });
    expect(rows).toHaveLength(10_000);
    expect(rows[0]!.priority).toBe('urgent');
    expect(rows[9_999]!.priority).toBe('low');
  });
});

describe('nextSort', () => {
  it('flips the same column and starts a new one in its natural direction', () => {
    expect(nextSort({ key: 'time', descending: true }, 'time')).toEqual({ key: 'time', descending: false });
    expect(nextSort({ key: 'time', descending: true }, 'tag')).toEqual({ key: 'tag', descending: false });
    expect(nextSort({ key: 'tag', descending: false }, 'priority')).toEqual({ key: 'priority', descending: true });
  });
});

describe('chunkIdsByBytes', () => {
  it('splits acknowledgements of many alarms into bodies under the size limit, keeping every id once', () => {
    const many = Array.from({ length: 10_000 }, (_, i) => `Sim.Bulk.${String(i).padStart(5, '0')}.H`);
    const chunks = chunkIdsByBytes(many, 64 * 1024);
    expect(chunks.length).toBeGreaterThan(1);
    for (const chunk of chunks) expect(JSON.stringify({ alarmIds: chunk }).length).toBeLessThan(64 * 1024 - 400);
    expect(chunks.flat()).toEqual(many);
  });
});
