import { formatDateTime } from '../common/format.js';
import { drillPassed, drillReportJson, drillReportText, type DrillReport } from './drill-report.js';

const ms = (value: number | null) => (value === null ? '—' : `${Math.round(value)} ms`);

function download(name: string, text: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.click();
  URL.revokeObjectURL(url);
}

/** The drill's result per leg, to copy or download for the plant's records. */
export function DrillReportView({ report }: { report: DrillReport }) {
  const text = drillReportText(report, formatDateTime);
  const stamp = formatDateTime(report.startedAtMs).replace(/[ :]/g, '-');
  const passed = drillPassed(report);
  return (
    <div className="drill-report" data-testid="drill-report" data-passed={passed}>
      <p>
        <strong data-testid="drill-result" className={passed ? undefined : 'fault-text'}>
          Drill {passed ? 'passed' : 'failed'}
        </strong>
        {report.stoppedBecause ? <span data-testid="drill-stopped">: {report.stoppedBecause}</span> : null}
      </p>
      <table className="grid-table">
        <thead>
          <tr>
            <th>Leg</th>
            <th>Switch</th>
            <th className="right">Serving this station after</th>
            <th className="right">Gap in the log</th>
            <th>Events on both nodes</th>
          </tr>
        </thead>
        <tbody>
          {report.legs.map((leg, i) => (
            <tr key={`${leg.from}-${leg.to}`} data-testid="drill-leg">
              <td className="num">{i + 1}</td>
              <td>
                {leg.from} → {leg.to}
              </td>
              <td className="right num">{ms(leg.servedAfterMs)}</td>
              <td className="right num">{ms(leg.gapMs)}</td>
              <td className={leg.verified ? undefined : 'fault-text'} data-testid="drill-leg-check">
                {leg.check}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="role-actions">
        <button type="button" onClick={() => void navigator.clipboard?.writeText(text)}>
          Copy as text
        </button>
        <button type="button" onClick={() => download(`failover-drill-${stamp}.txt`, text, 'text/plain')}>
          Download .txt
        </button>
        <button type="button" data-testid="drill-download-json" onClick={() => download(`failover-drill-${stamp}.json`, drillReportJson(report), 'application/json')}>
          Download .json
        </button>
      </div>
    </div>
  );
}
