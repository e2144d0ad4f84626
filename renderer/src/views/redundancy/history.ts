import type { TimedValue } from './sparkline.js';

/** The sparklines show this much. */
export const HISTORY_WINDOW_MS = 60_000;
/** A bound on each node's history whatever the poll rate: two readings a second for the window. */
export const HISTORY_SAMPLES_MAX = 2 * (HISTORY_WINDOW_MS / 1000);

/** `series` with `value` appended, keeping only the window before it and at most `HISTORY_SAMPLES_MAX`. */
export function appendReading(series: readonly TimedValue[], value: TimedValue): TimedValue[] {
  const from = value.t - HISTORY_WINDOW_MS;
  const kept = series.filter((p) => p.t >= from && p.t < value.t);
  kept.push(value);
  return kept.slice(-HISTORY_SAMPLES_MAX);
}
