import { describe, expect, it } from 'vitest';
import { appendReading, HISTORY_SAMPLES_MAX, HISTORY_WINDOW_MS } from './history.js';
import { sparklineRuns } from './sparkline.js';

const frame = { width: 60, height: 20, nowMs: 60_000, windowMs: 60_000, minTop: 1 };

describe('sparkline', () => {
  it('scales time across the width and 0..largest value up the height', () => {
    expect(sparklineRuns([{ t: 0, v: 0 }, { t: 30_000, v: 5 }, { t: 60_000, v: 10 }], frame)).toEqual(['0,20 30,10 60,0']);
  });

  it('breaks the line where a reading is missing and leaves out readings outside the window', () => {
    const runs = sparklineRuns([{ t: -1, v: 3 }, { t: 10_000, v: 2 }, { t: 20_000, v: null }, { t: 30_000, v: 2 }, { t: 40_000, v: 2 }], frame);
    expect(runs).toEqual(['10,0', '30,0 40,0']);
  });

  it('keeps a small value low on a quiet link instead of filling the height', () => {
    expect(sparklineRuns([{ t: 60_000, v: 0.5 }], frame)).toEqual(['60,10']);
  });
});

describe('history ring buffer', () => {
  it('keeps only the last window of readings', () => {
    let series = appendReading([], { t: 0, v: 1 });
    series = appendReading(series, { t: 1_000, v: 2 });
    series = appendReading(series, { t: HISTORY_WINDOW_MS + 500, v: 3 });
    expect(series.map((p) => p.v)).toEqual([2, 3]);
  });

  it('holds at most HISTORY_SAMPLES_MAX readings however fast it is fed', () => {
    let series = appendReading([], { t: 0, v: 0 });
    for (let t = 1; t <= 1_000; t++) series = appendReading(series, { t, v: t });
    expect(series).toHaveLength(HISTORY_SAMPLES_MAX);
    expect(series.at(-1)).toEqual({ t: 1_000, v: 1_000 });
  });
});
