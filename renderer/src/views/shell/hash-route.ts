import { useSyncExternalStore } from 'react';
import { roleAllows, type Permission, type UserRole } from '../../../../shared/domain/user-role.js';

export const ROUTES = ['overview', 'alarms', 'cel', 'trends', 'tags', 'recipes', 'redundancy', 'users'] as const;
export type Route = (typeof ROUTES)[number];

export const ROUTE_LABEL: Record<Route, string> = {
  overview: 'Overview',
  alarms: 'Alarms',
  cel: 'Events',
  trends: 'Trends',
  tags: 'Tags',
  recipes: 'Recipes',
  redundancy: 'Redundancy',
  users: 'Users',
};

/** Views of no use below a role: the nav leaves them out for others; opened anyway, the view says what it needs. */
const ROUTE_NEEDS: Partial<Record<Route, Permission>> = { users: 'administer' };

/** Whether the nav shows `route` to a station signed in with `role` (null: nobody signed in). */
export function routeShown(route: Route, role: UserRole | null): boolean {
  const needed = ROUTE_NEEDS[route];
  return needed === undefined || (role !== null && roleAllows(role, needed));
}

/** `#/alarms` and `#alarms` both open the alarm list; anything else opens the overview. */
export function parseRoute(hash: string): Route {
  const name = hash.replace(/^#\/?/, '').split(/[/?]/)[0];
  return (ROUTES as readonly string[]).includes(name ?? '') ? (name as Route) : 'overview';
}

function subscribe(onChange: () => void): () => void {
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
}

export function useRoute(): Route {
  return useSyncExternalStore(subscribe, () => parseRoute(window.location.hash));
}
