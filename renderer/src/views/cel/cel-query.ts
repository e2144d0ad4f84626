import type { CelEntry, CelKind } from '../../../../shared/protocol/entities.js';
import { mergeCel } from '../../stores/cel-merge.js';
import { parseLocalDateTime } from '../common/format.js';

export const CEL_PAGE_ROWS = 200;

export interface CelFilter {
  kind: CelKind | 'all';
  text: string;
  /** As typed in a datetime-local field; empty means open. */
  from: string;
  to: string;
}

export const EMPTY_CEL_FILTER: CelFilter = { kind: 'all', text: '', from: '', to: '' };

/**
 * A text or time filter must search the whole event list, so it runs on the server; a kind filter
 * alone is applied to the entries held and to older pages as they load.
 */
export function needsServerQuery(filter: CelFilter): boolean {
  return filter.text.trim() !== '' || parseLocalDateTime(filter.from) !== null || parseLocalDateTime(filter.to) !== null;
}

export function celQueryString(filter: CelFilter, before: number | null, limit = CEL_PAGE_ROWS): string {
  const params = new URLSearchParams();
  if (before !== null) params.set('before', String(before));
  params.set('limit', String(limit));
  if (filter.kind !== 'all') params.set('kind', filter.kind);
  const text = filter.text.trim();
  if (text) params.set('text', text);
  const from = parseLocalDateTime(filter.from);
  const to = parseLocalDateTime(filter.to);
  if (from !== null) params.set('from', String(from));
  if (to !== null) params.set('to', String(to));
  return params.toString();
}

/** The client-side twin of the server's filter, for live entries that arrive after a query ran. */
export function matchesCel(entry: CelEntry, filter: CelFilter, needle = filter.text.trim().toLowerCase()): boolean {
  if (filter.kind !== 'all' && entry.kind !== filter.kind) return false;
  const from = parseLocalDateTime(filter.from);
  const to = parseLocalDateTime(filter.to);
  if (from !== null && entry.t < from) return false;
  if (to !== null && entry.t > to) return false;
  if (!needle) return true;
  // The same fields the server searches (docs/api.md): text, alarm, tag, user.
  return [entry.text, entry.alarmId, entry.tag, entry.user].some((field) => field?.toLowerCase().includes(needle));
}

/** What the list shows: live entries and loaded pages that pass the filter, newest first, each once. */
export function shownCel(live: readonly CelEntry[], loaded: readonly CelEntry[], filter: CelFilter): CelEntry[] {
  const needle = filter.text.trim().toLowerCase();
  const pass = (entry: CelEntry) => matchesCel(entry, filter, needle);
  return mergeCel(loaded.filter(pass), live.filter(pass), Infinity);
}

/** Where "Load older" continues: the server's cursor if a page gave one, else below the oldest entry held. */
export function olderCursor(live: readonly CelEntry[], loaded: readonly CelEntry[], serverCursor: number | null | undefined): number | null {
  if (serverCursor !== undefined) return serverCursor;
  const oldest = [loaded[loaded.length - 1], live[live.length - 1]].filter((e): e is CelEntry => e !== undefined);
  return oldest.length === 0 ? null : Math.min(...oldest.map((e) => e.seq));
}
