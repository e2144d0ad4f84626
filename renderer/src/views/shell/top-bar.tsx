import { useShallow } from 'zustand/react/shallow';
import { useProject, type ProjectState } from '../../stores/project-store.js';
import { useRedundancy, type RedundancyState } from '../../stores/redundancy-store.js';
import { ConnectionIndicator } from './connection-indicator.js';
import { ROLE_LABEL } from './role-label.js';
import { SessionField } from './session-field.js';

const selectTopBar = (s: ProjectState) => ({
  name: s.status?.name ?? s.projectId,
  role: s.role,
  active: s.alarmCounts.active,
  unacknowledged: s.alarmCounts.unacknowledged,
  urgentUnack: s.alarmCounts.byPriority.urgent.unacknowledged,
  highUnack: s.alarmCounts.byPriority.high.unacknowledged,
});

const selectServed = (s: RedundancyState) => ({
  node: s.servedBy?.node ?? null,
  epoch: s.servedBy?.epoch ?? null,
  serving: s.serving,
  degraded: s.serving && s.dataStatus?.degraded === true,
  peer: s.dataStatus?.peer ?? null,
});

/** Always visible: which project, which node serves it, whether the pair and the link are whole, what needs attention. */
export function TopBar() {
  const t = useProject(useShallow(selectTopBar));
  const served = useRedundancy(useShallow(selectServed));
  const counterClass = t.urgentUnack > 0 ? 'urgent' : t.highUnack > 0 ? 'high' : t.unacknowledged > 0 ? 'medium' : 'calm';
  return (
    <header className="top-bar">
      <span className="brand">Tandem</span>
      <span className="project" title="Project">
        {t.name ?? '—'}
      </span>
      <span className={`served${served.serving ? '' : ' not-serving'}`} title={served.serving ? undefined : 'Not serving this station now'}>
        Served by <strong data-testid="served-by">{served.node ?? '—'}</strong>
        {served.serving && t.role ? <span data-testid="served-role"> · {ROLE_LABEL[t.role]}</span> : null}
        {served.epoch !== null ? <span className="num" data-testid="served-epoch"> · epoch {served.epoch}</span> : null}
      </span>
      {served.degraded ? (
        <span className="fault-chip" data-testid="redundancy-degraded" title="The Server runs without a Standby that holds everything">
          Redundancy degraded
        </span>
      ) : null}
      {served.peer ? (
        <span className={served.peer.link === 'up' ? 'peer-link' : 'peer-link fault-chip'} data-testid="peer-link" title="The link between the two nodes">
          Peer {served.peer.node} link {served.peer.link}
        </span>
      ) : null}
      <ConnectionIndicator />
      <span className="spacer" />
      <a className={`alarm-counter counter-${counterClass}`} href="#/alarms" title="Active / unacknowledged alarms">
        <span>
          Active <strong data-testid="alarms-active">{t.active}</strong>
        </span>
        <span>
          Unack <strong data-testid="alarms-unack">{t.unacknowledged}</strong>
        </span>
      </a>
      <SessionField />
    </header>
  );
}
