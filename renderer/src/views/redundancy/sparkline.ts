/** One reading of a series over time; null where the node gave none (its link was down). */
export interface TimedValue {
  t: number;
  v: number | null;
}

export interface SparklineFrame {
  width: number;
  height: number;
  /** Right edge of the window. */
  nowMs: number;
  windowMs: number;
  /** The top of the scale is at least this, so a quiet link does not look like a noisy one. */
  minTop: number;
}

/**
 * SVG polyline `points` for the readings inside the window, one string per unbroken run (a null
 * reading breaks the line, so a gap shows as a gap), scaled from 0 to the largest value shown.
 */
export function sparklineRuns(values: readonly TimedValue[], frame: SparklineFrame): string[] {
  const from = frame.nowMs - frame.windowMs;
  const shown = values.filter((p) => p.t >= from && p.t <= frame.nowMs);
  const top = Math.max(frame.minTop, ...shown.map((p) => p.v ?? 0));
  const runs: string[] = [];
  let run: string[] = [];
  for (const p of shown) {
    if (p.v === null) {
      if (run.length > 0) runs.push(run.join(' '));
      run = [];
      continue;
    }
    const x = ((p.t - from) / frame.windowMs) * frame.width;
    const y = frame.height - (p.v / top) * frame.height;
    run.push(`${fixed(x)},${fixed(y)}`);
  }
  if (run.length > 0) runs.push(run.join(' '));
  return runs;
}

const fixed = (v: number) => String(Math.round(v * 10) / 10);
