import { HISTORY_WINDOW_MS } from './history.js';
import { sparklineRuns, type TimedValue } from './sparkline.js';

const WIDTH = 120;
const HEIGHT = 22;
/** The line stays this far above the base line, so a quiet link's readings near 0 remain visible. */
const BASE_GAP = 3;

/** The last minute of a series as a small line, newest at the right; gaps where the node did not answer. */
export function Sparkline({ values, nowMs, minTop, label }: { values: readonly TimedValue[]; nowMs: number; minTop: number; label: string }) {
  const runs = sparklineRuns(values, { width: WIDTH, height: HEIGHT - BASE_GAP, nowMs, windowMs: HISTORY_WINDOW_MS, minTop });
  return (
    <svg className="sparkline" width={WIDTH} height={HEIGHT} viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label={label}>
      <line x1={0} y1={HEIGHT - 0.5} x2={WIDTH} y2={HEIGHT - 0.5} className="sparkline-base" />
      {runs.map((points) => (
        <polyline key={points} points={points} className="sparkline-line" />
      ))}
    </svg>
  );
}
