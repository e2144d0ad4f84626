import { describe, expect, it } from 'vitest';
import { PollSchedule } from './poll-schedule.js';
import { reconnectDelayMs } from './reconnect-backoff.js';

describe('PollSchedule', () => {
  const groups = [
    { id: 'fast', periodMs: 100 },
    { id: 'slow', periodMs: 1_000 },
  ];

  it('polls every group at once on start, then each on its own grid', () => {
    const schedule = new PollSchedule(groups, 1_050);
    expect(schedule.due(1_050)).toEqual(['fast', 'slow']);
    expect(schedule.nextDueMs()).toBe(1_100);
    expect(schedule.due(1_099)).toEqual([]);
    expect(schedule.due(1_100)).toEqual(['fast']);
    expect(schedule.due(2_000)).toEqual(['fast', 'slow']);
    expect(schedule.nextDueMs()).toBe(2_100);
  });

  it('polls a late group once, not once for every period it missed', () => {
    const schedule = new PollSchedule(groups, 0);
    schedule.due(0);
    expect(schedule.due(450)).toEqual(['fast']);
    expect(schedule.nextDueMs()).toBe(500);
    expect(schedule.due(499)).toEqual([]);
  });

  it('reports a group stale once after three periods without a completed poll, and again only after it completed', () => {
    const schedule = new PollSchedule(groups, 0);
    schedule.completed('fast', 100);
    expect(schedule.newlyStale(399)).toEqual([]);
    expect(schedule.newlyStale(400)).toEqual(['fast']);
    expect(schedule.newlyStale(900)).toEqual([]);
    expect(schedule.sinceCompletedMs('fast', 900)).toBe(800);
    schedule.completed('fast', 950);
    expect(schedule.newlyStale(1_200)).toEqual([]);
    expect(schedule.newlyStale(3_000)).toEqual(['fast', 'slow']);
  });
});

describe('reconnectDelayMs', () => {
  it('doubles from the first wait and stays at the maximum', () => {
    expect([1, 2, 3, 4, 5, 6, 40].map((n) => reconnectDelayMs(n, 500, 5_000))).toEqual([500, 1_000, 2_000, 4_000, 5_000, 5_000, 5_000]);
  });
});
