import type { ArchiveResponse } from '../../../../shared/protocol/api.js';
import type { Sample } from '../../../../shared/protocol/entities.js';

/** Points per tag the chart asks the archive for; a canvas this wide shows no more. */
export const TREND_POINTS_MAX = 1_500;
/** Up to this range the archive sends raw samples; past it, buckets. */
export const RAW_RANGE_MAX_MS = 5 * 60_000;
const BUCKET_STEP_MS = 100;

/** Null for raw samples; else the smallest 100 ms multiple that keeps the range within TREND_POINTS_MAX buckets. */
export function chooseBucketMs(rangeMs: number): number | null {
  if (rangeMs <= RAW_RANGE_MAX_MS) return null;
  return Math.ceil(rangeMs / TREND_POINTS_MAX / BUCKET_STEP_MS) * BUCKET_STEP_MS;
}

/** Query start on a bucket boundary, so archive buckets and live buckets share one grid. */
export function alignDown(t: number, bucketMs: number | null): number {
  return bucketMs === null ? t : Math.floor(t / bucketMs) * bucketMs;
}

/** One tag's points, oldest first. Raw samples have min = max = avg and count 1. */
export interface TrendSeries {
  bucketMs: number | null;
  t: number[];
  avg: number[];
  min: number[];
  max: number[];
  count: number[];
}

export function emptySeries(bucketMs: number | null): TrendSeries {
  return { bucketMs, t: [], avg: [], min: [], max: [], count: [] };
}

export function seriesFromArchive(response: ArchiveResponse, bucketMs: number | null): TrendSeries {
  const series = emptySeries(bucketMs);
  if (response.buckets) {
    for (const b of response.buckets) pushPoint(series, b.t, b.avg, b.min, b.max, b.count);
  } else {
    for (const s of response.samples) if (s.q === 'good') pushPoint(series, s.t, s.v, s.v, s.v, 1);
  }
  return series;
}

/**
 * Adds live samples of this series' tag (oldest first). Samples not newer than the last point are
 * already held (history and live overlap while a query runs). Only good samples are drawn.
 */
export function appendSamples(series: TrendSeries, samples: Iterable<Sample>): void {
  for (const sample of samples) {
    if (sample.q !== 'good') continue;
    const last = series.t.length - 1;
    if (series.bucketMs === null) {
      if (last < 0 || sample.t > series.t[last]!) pushPoint(series, sample.t, sample.v, sample.v, sample.v, 1);
      continue;
    }
    const bucketT = alignDown(sample.t, series.bucketMs);
    if (last >= 0 && bucketT === series.t[last]) {
      const count = series.count[last]!;
      series.avg[last] = (series.avg[last]! * count + sample.v) / (count + 1);
      series.min[last] = Math.min(series.min[last]!, sample.v);
      series.max[last] = Math.max(series.max[last]!, sample.v);
      series.count[last] = count + 1;
    } else if (last < 0 || bucketT > series.t[last]!) {
      pushPoint(series, bucketT, sample.v, sample.v, sample.v, 1);
    }
  }
}

/** Drops points before `t`, keeping one so the line still enters at the left edge. */
export function trimBefore(series: TrendSeries, t: number): void {
  let drop = 0;
  while (drop + 1 < series.t.length && series.t[drop + 1]! < t) drop++;
  if (drop === 0) return;
  for (const column of [series.t, series.avg, series.min, series.max, series.count]) column.splice(0, drop);
}

export function pointsWithin(series: TrendSeries, from: number, to: number): number {
  let n = 0;
  for (const t of series.t) if (t >= from && t <= to) n++;
  return n;
}

/**
 * uPlot wants one shared x array: the union of all timestamps, with null where a series has no point.
 * Per series: avg, and when `band` is on, min and max after it.
 */
export function alignSeries(list: readonly TrendSeries[], band: boolean): (number | null)[][] {
  const xs = unionSorted(list.map((s) => s.t));
  const columns: (number | null)[][] = [xs];
  for (const series of list) {
    const avg: (number | null)[] = new Array(xs.length).fill(null);
    const min: (number | null)[] = band ? new Array(xs.length).fill(null) : [];
    const max: (number | null)[] = band ? new Array(xs.length).fill(null) : [];
    let x = 0;
    for (let i = 0; i < series.t.length; i++) {
      while (xs[x]! < series.t[i]!) x++;
      avg[x] = series.avg[i]!;
      if (band) {
        min[x] = series.min[i]!;
        max[x] = series.max[i]!;
      }
    }
    columns.push(avg);
    if (band) columns.push(min, max);
  }
  return columns;
}

function unionSorted(columns: readonly number[][]): number[] {
  if (columns.length === 1) return [...columns[0]!];
  const all = columns.flat().sort((a, b) => a - b);
  return all.filter((t, i) => i === 0 || t !== all[i - 1]);
}

function pushPoint(series: TrendSeries, t: number, avg: number, min: number, max: number, count: number): void {
  series.t.push(t);
  series.avg.push(avg);
  series.min.push(min);
  series.max.push(max);
  series.count.push(count);
}
