import { useSyncExternalStore } from 'react';

export const ROUTES = ['overview', 'alarms', 'cel', 'trends', 'tags', 'recipes', 'redundancy'] as const;
export type Route = (typeof ROUTES)[number];

export const ROUTE_LABEL: Record<Route, string> = {
  overview: 'Overview',
  alarms: 'Alarms',
  cel: 'Events',
  trends: 'Trends',
  tags: 'Tags',
  recipes: 'Recipes',
  redundancy: 'Redundancy',
};

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
