import type { PollGroup } from '../../../../shared/project/project-schema.js';

/** A group that has not completed a poll for this many periods is stale (slow server, overrun). */
export const STALE_PERIODS = 3;

/**
 * When each poll group is due, and which groups have gone stale. Groups poll on their own grid
 * (multiples of their period); a poll that comes late is done once, not once per missed period.
 * Owns no timer: the driver asks `due(now)` and `newlyStale(now)` when it wakes and sleeps until
 * `nextDueMs()`, and reports each finished poll with `completed`.
 */
export class PollSchedule {
  private readonly nextMs = new Map<string, number>();
  private readonly periods = new Map<string, number>();
  private readonly completedMs = new Map<string, number>();
  private readonly stale = new Set<string>();

  constructor(groups: readonly PollGroup[], nowMs: number) {
    for (const group of groups) {
      this.periods.set(group.id, group.periodMs);
      this.nextMs.set(group.id, nowMs);
      this.completedMs.set(group.id, nowMs);
    }
  }

  /** The groups to poll now, each moved on to its next grid point after `nowMs`. */
  due(nowMs: number): string[] {
    const due: string[] = [];
    for (const [id, nextMs] of this.nextMs) {
      if (nextMs > nowMs) continue;
      const periodMs = this.periods.get(id) ?? 1;
      const gridMs = (Math.floor(nowMs / periodMs) + 1) * periodMs;
      this.nextMs.set(id, gridMs);
      due.push(id);
    }
    return due;
  }

  nextDueMs(): number {
    return Math.min(...this.nextMs.values());
  }

  /** A poll of the group finished (whatever each tag read): the group is fresh again. */
  completed(group: string, nowMs: number): void {
    this.completedMs.set(group, nowMs);
    this.stale.delete(group);
  }

  /** Groups without a completed poll for STALE_PERIODS periods, each returned once until it completes again. */
  newlyStale(nowMs: number): string[] {
    const stale: string[] = [];
    for (const [id, completedMs] of this.completedMs) {
      if (this.stale.has(id) || nowMs - completedMs < STALE_PERIODS * (this.periods.get(id) ?? 1)) continue;
      this.stale.add(id);
      stale.push(id);
    }
    return stale;
  }

  /** How long the group has gone without a completed poll. */
  sinceCompletedMs(group: string, nowMs: number): number {
    return nowMs - (this.completedMs.get(group) ?? nowMs);
  }
}
