import { useAuth } from '../../stores/auth-store.js';
import { useProject } from '../../stores/project-store.js';
import { ROUTE_LABEL, ROUTES, routeShown, type Route } from './hash-route.js';

export function NavBar({ route }: { route: Route }) {
  const unack = useProject((s) => s.alarmCounts.unacknowledged);
  const role = useAuth((s) => s.session?.role ?? null);
  return (
    <nav className="nav" aria-label="Views">
      {ROUTES.map((name, i) => routeShown(name, role) && (
        <a
          key={name}
          href={`#/${name}`}
          data-testid={`nav-${name}`}
          className={route === name ? 'active' : ''}
          aria-current={route === name ? 'page' : undefined}
          title={`${ROUTE_LABEL[name]} (Alt+${i + 1})`}
        >
          {ROUTE_LABEL[name]}
          {name === 'alarms' && unack > 0 ? <span className="nav-badge">{unack}</span> : null}
        </a>
      ))}
    </nav>
  );
}
