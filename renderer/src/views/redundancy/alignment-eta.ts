import type { TimedValue } from './sparkline.js';

/** The rate is taken over this much of the latest progress: recent enough to follow a change of pace. */
export const ETA_RATE_WINDOW_MS = 15_000;

/**
 * Milliseconds until alignment completes at the rate progress (0..1) has risen recently, or null when
 * it cannot be estimated: fewer than two readings of the current run, no progress, or done. A drop
 * in progress starts a new run (a new alignment), so the rate never mixes two of them.
 */
export function alignmentEtaMs(progress: readonly TimedValue[]): number | null {
  const readings = progress.filter((p): p is { t: number; v: number } => p.v !== null);
  const last = readings.at(-1);
  if (!last || last.v >= 1) return null;
  let first = last;
  for (let i = readings.length - 2; i >= 0; i--) {
    const p = readings[i]!;
    if (p.v > first.v || last.t - p.t > ETA_RATE_WINDOW_MS) break;
    first = p;
  }
  const dt = last.t - first.t;
  const dp = last.v - first.v;
  if (dt <= 0 || dp <= 0) return null;
  return Math.round(((1 - last.v) * dt) / dp);
}
