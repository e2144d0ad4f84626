import type { TagDef } from '../../../shared/project/project-schema.js';
import type { DriverStatus, Quality, Sample } from '../../../shared/protocol/entities.js';
import type { DriverHealth } from '../../../shared/protocol/peer.js';
import type { Driver } from '../drivers/driver.js';

/** Error counts remembered, one per `sample` call (the host calls it once a second): a minute's worth. */
const ERROR_HISTORY = 61;

/**
 * The health of a node's drivers: their counters, the quality of each tag's latest value, and errors
 * per minute. Shown on the dashboard and sent to the peer in heartbeats (rated redundancy weighs it).
 */
export class DriverHealthMonitor {
  private readonly quality = new Map<string, Quality>();
  private readonly tagsOf = new Map<string, string[]>();
  private readonly errorHistory = new Map<string, number[]>();

  constructor(
    tags: readonly TagDef[],
    private readonly drivers: readonly Driver[],
  ) {
    for (const driver of drivers) this.tagsOf.set(driver.id, []);
    for (const tag of tags) this.tagsOf.get(tag.driver)?.push(tag.id);
  }

  read(samples: readonly Sample[]): void {
    for (const sample of samples) this.quality.set(sample.tag, sample.q);
  }

  /** Remembers each driver's error count; call once a second. */
  sample(): void {
    for (const driver of this.drivers) {
      const history = this.errorHistory.get(driver.id) ?? [];
      history.push(driver.status().errors);
      if (history.length > ERROR_HISTORY) history.shift();
      this.errorHistory.set(driver.id, history);
    }
  }

  statuses(): DriverStatus[] {
    return this.drivers.map((driver) => {
      const counters = driver.status();
      const history = this.errorHistory.get(driver.id) ?? [];
      const counts = { goodTags: 0, staleTags: 0, badTags: 0 };
      for (const tag of this.tagsOf.get(driver.id) ?? []) {
        const q = this.quality.get(tag);
        if (q === 'good') counts.goodTags += 1;
        else if (q === 'stale') counts.staleTags += 1;
        else if (q !== undefined) counts.badTags += 1;
      }
      return { ...counters, errorsPerMinute: counters.errors - (history[0] ?? counters.errors), ...counts };
    });
  }

  health(): DriverHealth {
    const statuses = this.statuses();
    return {
      connected: statuses.filter((s) => s.state === 'connected').length,
      total: statuses.length,
      errorRate: statuses.reduce((sum, s) => sum + s.errorsPerMinute, 0),
      staleTags: statuses.reduce((sum, s) => sum + s.staleTags, 0),
      badTags: statuses.reduce((sum, s) => sum + s.badTags, 0),
    };
  }
}
