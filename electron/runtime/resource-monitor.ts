import { statfsSync } from 'node:fs';
import { freemem, loadavg, totalmem } from 'node:os';
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import type { ResourceHealth } from '../../shared/protocol/api.js';

/** How often the CPU share is measured. */
const SAMPLE_MS = 1_000;
/** The event-loop probe's timer period; the histogram counts it in every value, so it is taken off. */
const LOOP_PROBE_MS = 20;

/**
 * The node's own resources, for the dashboard (and later the rating of rated redundancy): CPU used
 * by this process, event-loop delay (a busy runtime answers heartbeats late), memory, and the free
 * space where the project data lives.
 */
export class ResourceMonitor {
  private readonly delay: IntervalHistogram = monitorEventLoopDelay({ resolution: LOOP_PROBE_MS });
  private readonly timer: NodeJS.Timeout;
  private lastCpu = process.cpuUsage();
  private lastAtMs = performance.now();
  private cpuPercent = 0;
  private loopDelayP99Ms = 0;

  constructor(private readonly dataDir: string) {
    this.delay.enable();
    this.timer = setInterval(() => this.sample(), SAMPLE_MS);
    this.timer.unref();
  }

  health(): ResourceHealth {
    let diskFreeMb: number | null = null;
    try {
      const fs = statfsSync(this.dataDir);
      diskFreeMb = Math.round((fs.bavail * fs.bsize) / 1_048_576);
    } catch {
      // A data folder that cannot be examined shows no figure rather than a wrong one.
    }
    return {
      cpuPercent: Math.round(this.cpuPercent * 10) / 10,
      loadAverage1m: Math.round(loadavg()[0]! * 100) / 100,
      eventLoopDelayP99Ms: Math.round(this.loopDelayP99Ms * 10) / 10,
      memoryRssMb: Math.round(process.memoryUsage.rss() / 1_048_576),
      systemMemoryFreePercent: Math.round((freemem() / totalmem()) * 1000) / 10,
      diskFreeMb,
    };
  }

  stop(): void {
    clearInterval(this.timer);
    this.delay.disable();
  }

  private sample(): void {
    const cpu = process.cpuUsage(this.lastCpu);
    const nowMs = performance.now();
    this.cpuPercent = ((cpu.user + cpu.system) / 1000 / Math.max(1, nowMs - this.lastAtMs)) * 100;
    this.lastCpu = process.cpuUsage();
    this.lastAtMs = nowMs;
    this.loopDelayP99Ms = Math.max(0, this.delay.percentile(99) / 1e6 - LOOP_PROBE_MS);
    this.delay.reset();
  }
}
