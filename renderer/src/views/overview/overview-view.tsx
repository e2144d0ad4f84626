import { useShallow } from 'zustand/react/shallow';
import type { DriverStatus } from '../../../../shared/protocol/entities.js';
import { PRIORITIES } from '../../stores/alarm-counts.js';
import { useProject, type ProjectState } from '../../stores/project-store.js';
import { useRedundancy } from '../../stores/redundancy-store.js';
import { PriorityMarker, STATE_LABEL } from '../common/alarm-badges.js';
import { formatDateTimeMs } from '../common/format.js';
import { ROLE_LABEL } from '../shell/role-label.js';
import { PairingPanel } from '../pairing/pairing-panel.js';
import { RedundancyPanel } from './redundancy-panel.js';

const LATEST_EVENTS = 12;

const selectOverview = (s: ProjectState) => ({
  projectId: s.projectId,
  status: s.status,
  role: s.role,
  server: s.server,
  position: s.position,
  counts: s.alarmCounts,
  tagCount: s.tags.size,
  alarmCount: s.alarms.size,
  cel: s.cel,
});

export function OverviewView() {
  const o = useProject(useShallow(selectOverview));
  const servedBy = useRedundancy((s) => (s.serving ? (s.servedBy?.node ?? null) : null));
  const dataNode = useRedundancy((s) => s.dataNode);
  const status = o.status;
  const latest = o.cel.slice(0, LATEST_EVENTS);
  return (
    <section className="view overview" aria-label="Overview">
      <div className="panel">
        <h2>Station</h2>
        <dl className="facts">
          <dt>Node serving this screen</dt>
          <dd>{servedBy ?? `none now${dataNode ? ` (connected to ${dataNode})` : ''}`}</dd>
          <dt>Project</dt>
          <dd>{status ? `${status.name} (${status.id})` : (o.projectId ?? '—')}</dd>
          <dt>Role of the connected node</dt>
          <dd>{o.role ? ROLE_LABEL[o.role] : '—'}</dd>
          <dt>Project server</dt>
          <dd>{o.server ?? '—'}</dd>
          <dt>Epoch / seq</dt>
          <dd className="num">{status ? `${status.epoch} / ${status.seq}` : o.position ? `${o.position.epoch} / ${o.position.seq}` : '—'}</dd>
          <dt>State hash</dt>
          <dd className="mono" title="Equal on two nodes that hold the same data">{status?.stateHash ?? '—'}</dd>
          <dt>Tags / alarms defined</dt>
          <dd className="num">
            {o.tagCount} / {o.alarmCount}
          </dd>
        </dl>
      </div>
      <div className="panel">
        <h2>Alarms</h2>
        <table className="grid-table">
          <thead>
            <tr>
              <th>Priority</th>
              <th className="right">Active</th>
              <th className="right">Unacknowledged</th>
            </tr>
          </thead>
          <tbody>
            {PRIORITIES.map((priority) => {
              const c = o.counts.byPriority[priority];
              return (
                <tr key={priority}>
                  <td>
                    <PriorityMarker priority={priority} muted={c.active + c.unacknowledged === 0} />
                  </td>
                  <td className="right num">{c.active}</td>
                  <td className="right num">{c.unacknowledged}</td>
                </tr>
              );
            })}
            <tr className="total">
              <td>All</td>
              <td className="right num">{o.counts.active}</td>
              <td className="right num">{o.counts.unacknowledged}</td>
            </tr>
          </tbody>
        </table>
        <p className="muted small">
          Shelved {o.counts.shelved} · suppressed {o.counts.suppressed}
        </p>
      </div>
      <RedundancyPanel />
      <PairingPanel />
      <div className="panel wide">
        <h2>Drivers</h2>
        {status ? <DriverTable drivers={status.drivers} /> : <p className="muted">Waiting for the node's status…</p>}
      </div>
      <div className="panel wide">
        <h2>Latest events</h2>
        <table className="grid-table">
          <tbody>
            {latest.map((entry) => (
              <tr key={entry.id} data-testid="overview-cel-row">
                <td className="num nowrap">{formatDateTimeMs(entry.t)}</td>
                <td>{entry.kind}</td>
                <td>{entry.state ? STATE_LABEL[entry.state] : ''}</td>
                <td>{entry.text}</td>
                <td>{entry.user ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {latest.length === 0 ? <p className="muted">No events yet.</p> : null}
        <a href="#/cel">All events →</a>
      </div>
    </section>
  );
}

function DriverTable({ drivers }: { drivers: readonly DriverStatus[] }) {
  return (
    <table className="grid-table">
      <thead>
        <tr>
          <th>Driver</th>
          <th>Type</th>
          <th>State</th>
          <th className="right">Tags</th>
          <th className="right">Good</th>
          <th className="right">Stale</th>
          <th className="right">Bad</th>
          <th className="right">Errors</th>
          <th className="right">Errors/min</th>
          <th>Last error</th>
        </tr>
      </thead>
      <tbody>
        {drivers.map((driver) => (
          <tr key={driver.id} className={driver.state === 'connected' ? '' : 'comm-fault'}>
            <td>{driver.id}</td>
            <td>{driver.type}</td>
            <td>{driver.state}</td>
            <td className="right num">{driver.tags}</td>
            <td className="right num">{driver.goodTags}</td>
            <td className="right num">{driver.staleTags}</td>
            <td className={`right num${driver.badTags > 0 ? ' comm-fault-cell' : ''}`}>{driver.badTags}</td>
            <td className="right num">{driver.errors}</td>
            <td className="right num">{driver.errorsPerMinute}</td>
            <td>{driver.lastError ?? ''}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
