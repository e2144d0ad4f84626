import { formatDuration } from '../common/format.js';
import { alignmentEtaMs } from './alignment-eta.js';
import type { TimedValue } from './sparkline.js';

/** Progress of a node catching up with the Server, and when it will be done at the recent pace. */
export function AlignmentProgress({ node, progress, history }: { node: string; progress: number; history: readonly TimedValue[] }) {
  const etaMs = alignmentEtaMs(history);
  return (
    <span className="alignment" data-testid="alignment">
      <progress max={1} value={progress} aria-label={`Alignment of ${node}`} />
      <span className="num">{Math.round(progress * 100)} %</span>
      <span className="muted" title="Estimated from the progress of the last seconds">
        done in <span data-testid="alignment-eta">{etaMs === null ? '—' : `~${formatDuration(etaMs)}`}</span>
      </span>
    </span>
  );
}
