import { describe, expect, it } from 'vitest';
import type { Sample } from '../../../../shared/protocol/entities.js';
import { alignSeries, appendSamples, chooseBucketMs, emptySeries, seriesFromArchive, trimBefore, TREND_POINTS_MAX } from './trend-series.js';

const sample = (t: number, v: number, q: Sample['q'] = 'good'): Sample => ({ tag: 'T', t, v, q });

describe('chooseBucketMs', () => {
  it('asks for raw samples over five minutes', () => {
    expect(chooseBucketMs(5 * 60_000)).toBeNull();
  });

  it('keeps long ranges within the point budget', () => {
    for (const hours of [1, 8, 24]) {
      const rangeMs = hours * 3_600_000;
      const bucketMs = chooseBucketMs(rangeMs)!;
      expect(rangeMs / bucketMs).toBeLessThanOrEqual(TREND_POINTS_MAX);
      expect(rangeMs / bucketMs).toBeGreaterThan(TREND_POINTS_MAX * 0.9);
    }
  });
});

describe('live samples', () => {
  it('append raw samples once and skip bad quality', () => {
    const series = emptySeries(null);
    appendSamples(series, [sample(100, 1), sample(200, 2), sample(200, 2), sample(300, 9, 'commError')]);
    expect(series.t).toEqual([100, 200]);
  });

  it('fold into the bucket grid the history used', () => {
    const series = seriesFromArchive(
      { tag: 'T', from: 0, to: 2_000, samples: [], buckets: [{ t: 0, min: 1, max: 3, avg: 2, count: 2 }], truncated: false },
      1_000,
    );
    appendSamples(series, [sample(500, 5), sample(1_200, 4), sample(1_800, 6)]);
    expect(series.t).toEqual([0, 1_000]);
    expect(series.avg).toEqual([3, 5]);
    expect(series.max).toEqual([5, 6]);
    expect(series.min).toEqual([1, 4]);
  });

  it('trim points that left the window but keep one for the left edge', () => {
    const series = emptySeries(null);
    appendSamples(series, [sample(1, 1), sample(2, 2), sample(3, 3), sample(4, 4)]);
    trimBefore(series, 3);
    expect(series.t).toEqual([2, 3, 4]);
  });
});

describe('alignSeries', () => {
  it('joins pens on one time axis with gaps where a pen has no point', () => {
    const a = emptySeries(null);
    const b = emptySeries(null);
    appendSamples(a, [sample(1, 10), sample(3, 30)]);
    appendSamples(b, [sample(2, 20), sample(3, 31)]);
    expect(alignSeries([a, b], false)).toEqual([
      [1, 2, 3],
      [10, null, 30],
      [null, 20, 31],
    ]);
  });

  it('adds min and max columns for the band', () => {
    const a = emptySeries(null);
    appendSamples(a, [sample(1, 10)]);
    expect(alignSeries([a], true)).toEqual([[1], [10], [10], [10]]);
  });
});
