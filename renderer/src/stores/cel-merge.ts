import type { CelEntry } from '../../../shared/protocol/entities.js';

/** How many CEL entries a client keeps in memory; older ones are paged from the server on demand. */
export const CEL_MEMORY_MAX = 5_000;

export function compareCelNewestFirst(a: CelEntry, b: CelEntry): number {
  if (a.seq !== b.seq) return b.seq - a.seq;
  if (a.t !== b.t) return b.t - a.t;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/**
 * Union of two sets of CEL entries, newest first, without duplicates (entries are immutable facts
 * with unique ids, so the same id always carries the same content), cut to `max`.
 */
export function mergeCel(
  existingNewestFirst: readonly CelEntry[],
  incoming: readonly CelEntry[],
  max = CEL_MEMORY_MAX,
): CelEntry[] {
  if (incoming.length === 0) return existingNewestFirst.slice(0, max);
  const newest = existingNewestFirst[0];
  const sortedIncoming = [...incoming].sort(compareCelNewestFirst);
  const oldestIncoming = sortedIncoming[sortedIncoming.length - 1]!;
  // The common case, live entries that are all newer than anything held, needs no id lookup.
  if ((newest === undefined || oldestIncoming.seq > newest.seq) && hasUniqueIds(sortedIncoming)) {
    return sortedIncoming.concat(existingNewestFirst).slice(0, max);
  }
  const byId = new Map<string, CelEntry>();
  for (const entry of existingNewestFirst) byId.set(entry.id, entry);
  for (const entry of sortedIncoming) if (!byId.has(entry.id)) byId.set(entry.id, entry);
  return [...byId.values()].sort(compareCelNewestFirst).slice(0, max);
}

function hasUniqueIds(entries: readonly CelEntry[]): boolean {
  return new Set(entries.map((e) => e.id)).size === entries.length;
}
