import type { ServeReason } from '../../../../shared/protocol/ops.js';
import { formatDateTimeMs } from '../common/format.js';
import { useDashboard } from './dashboard-store.js';

const REASON_WORDS: Record<ServeReason, string> = {
  failure: 'failure (peer fell silent)',
  notServing: 'peer alive but not serving',
  planned: 'planned handover',
  start: 'start-up',
};

/** Every time a node started serving, from the Server's log, newest first. */
export function SwitchoverHistory() {
  const switchovers = useDashboard((s) => s.switchovers);
  const problem = useDashboard((s) => s.switchoversProblem);
  return (
    <div className="panel wide">
      <h2>Switchover history</h2>
      {problem ? <p className="notice">The history could not be read: {problem}</p> : null}
      {switchovers.length === 0 ? (
        <p className="muted">No node has started serving yet.</p>
      ) : (
        <table className="grid-table" data-testid="switchover-history">
          <thead>
            <tr>
              <th>Time</th>
              <th>Node serving</th>
              <th className="right">Epoch</th>
              <th>Reason</th>
              <th>Details</th>
              <th className="right">Gap</th>
            </tr>
          </thead>
          <tbody>
            {switchovers.map((s) => (
              <tr key={s.seq} data-testid="history-row" data-reason={s.reasonCode}>
                <td className="num nowrap">{formatDateTimeMs(s.t)}</td>
                <td>{s.node}</td>
                <td className="right num">{s.epoch}</td>
                <td className={s.reasonCode === 'failure' ? 'fault-text' : undefined}>{REASON_WORDS[s.reasonCode]}</td>
                <td>{s.reason}</td>
                <td className="right num">{s.gapMs === null ? '—' : `${Math.round(s.gapMs)} ms`}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
