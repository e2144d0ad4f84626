import type { PollGroup } from '../../../../shared/project/project-schema.js';

/**
 * When each poll group is due. Groups poll on their own grid (multiples of their period); a poll that
 * comes late is done once, not once per missed period. Owns no timer:
 * the driver asks `due(now)` when it wakes and sleeps until `nextDueMs()`.
 */
export class PollSchedule {
  private readonly nextMs = new Map<string, number>();
  private readonly periods = new Map<string, number>();

  constructor(groups: readonly PollGroup[], nowMs: number) {
    for (const group of groups) {
      this.periods.set(group.id, group.periodMs);
      this.nextMs.set(group.id, nowMs);
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
}
