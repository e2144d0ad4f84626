import { useShallow } from 'zustand/react/shallow';
import { useConnection } from '../../stores/connection-store.js';
import { useProject, type ProjectState } from '../../stores/project-store.js';
import { ConnectionIndicator } from './connection-indicator.js';
import { ROLE_LABEL } from './role-label.js';
import { UserField } from './user-field.js';

const selectTopBar = (s: ProjectState) => ({
  name: s.status?.name ?? s.projectId,
  role: s.role,
  active: s.alarmCounts.active,
  unacknowledged: s.alarmCounts.unacknowledged,
  urgentUnack: s.alarmCounts.byPriority.urgent.unacknowledged,
  highUnack: s.alarmCounts.byPriority.high.unacknowledged,
});

/** Always visible: which project, which node serves it, whether the link is alive, what needs attention. */
export function TopBar() {
  const t = useProject(useShallow(selectTopBar));
  const node = useConnection((s) => s.node);
  const counterClass = t.urgentUnack > 0 ? 'urgent' : t.highUnack > 0 ? 'high' : t.unacknowledged > 0 ? 'medium' : 'calm';
  return (
    <header className="top-bar">
      <span className="brand">Tandem</span>
      <span className="project" title="Project">
        {t.name ?? '—'}
      </span>
      <span className="served">
        Node <strong data-testid="served-by">{node ?? '—'}</strong>
      </span>
      <span className="role">{t.role ? ROLE_LABEL[t.role] : '—'}</span>
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
      <UserField />
    </header>
  );
}
