/** A node of the project serving this station, and the epoch it serves in. */
export interface Served {
  node: string;
  epoch: number;
}

/** The station moved from one serving node to another. */
export interface Switchover {
  /** Server clock, ms. */
  atMs: number;
  from: string;
  to: string;
  epoch: number;
  /** Why, as the nodes said it (e.g. "pc-a silent for 512 ms"); null when no node said. */
  reason: string | null;
}

/** The overview lists this many; older switchovers are in the CEL. */
export const SWITCHOVERS_MAX = 20;

/**
 * The switchover that serving by `next` means after `held`: none when the same node serves on (a new
 * epoch on the same node is no switchover) or when nothing served before.
 */
export function switchoverTo(held: Served | null, next: Served, atMs: number, reason: string | null): Switchover | null {
  if (held === null || held.node === next.node) return null;
  return { atMs, from: held.node, to: next.node, epoch: next.epoch, reason };
}

export function addSwitchover(list: readonly Switchover[], switchover: Switchover): Switchover[] {
  return [switchover, ...list].slice(0, SWITCHOVERS_MAX);
}

/** "Switched from pc-a to pc-b at 08:12:03 — pc-a silent for 512 ms" */
export function switchoverText(switchover: Switchover, clock: (ms: number) => string): string {
  const head = `Switched from ${switchover.from} to ${switchover.to} at ${clock(switchover.atMs)}`;
  return switchover.reason ? `${head} — ${switchover.reason}` : head;
}
