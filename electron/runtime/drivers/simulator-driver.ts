import { scale } from '../../../shared/domain/alarm-condition.js';
import { parseSimAddress, simValue, type SimSignal } from '../../../shared/domain/sim-signals.js';
import type { SimulatorDriverDef, TagDef } from '../../../shared/project/project-schema.js';
import type { DriverState, DriverCounters, Sample } from '../../../shared/protocol/entities.js';
import type { Clock } from '../clock.js';
import { log } from '../log.js';
import type { Driver, DriverSink, WriteOutcome } from './driver.js';

interface SimTag {
  id: string;
  signal: SimSignal;
  scaling: TagDef['scale'];
  /** The value last written, for `constant` tags (they stand for a register in the simulated plant). */
  written: number | null;
}

/** After a stall longer than this many grid points, the simulator skips ahead instead of catching up. */
const CATCH_UP_POINTS_MAX = 100;
/**
 * Samples one timer call delivers at most (whole grid points, at least one): catching up after a stall
 * goes on in the next turns of the event loop, so one call never blocks it for long (heartbeats).
 */
const SAMPLES_PER_CALL_MAX = 20_000;

/**
 * The embedded simulator. It samples every tag on a fixed grid (`t` a multiple of periodMs), so two
 * nodes sampling the same project record the same instants and values. A late timer catches up on
 * the grid points it missed, a few at a time, so a busy event loop delays samples but does not lose them.
 */
export class SimulatorDriver implements Driver {
  readonly id: string;
  private readonly periodMs: number;
  private readonly tags: SimTag[];
  private timer: NodeJS.Timeout | null = null;
  private nextT = 0;
  private state: DriverState = 'disconnected';
  private errors = 0;
  private lastError: string | null = null;

  constructor(
    def: SimulatorDriverDef,
    tags: readonly TagDef[],
    private readonly clock: Clock,
  ) {
    this.id = def.id;
    this.periodMs = def.settings.periodMs;
    this.tags = tags.map((tag) => {
      const signal = parseSimAddress(tag.address);
      if (typeof signal === 'string') throw new Error(`tag ${tag.id}: ${signal}`);
      return { id: tag.id, signal, scaling: tag.scale, written: null };
    });
  }

  start(sink: DriverSink): void {
    this.nextT = Math.ceil(this.clock.now() / this.periodMs) * this.periodMs;
    this.state = 'connected';
    sink.state('connected', null);
    this.schedule(sink);
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.state = 'disconnected';
  }

  status(): DriverCounters {
    return { id: this.id, type: 'simulator', state: this.state, tags: this.tags.length, errors: this.errors, lastError: this.lastError };
  }

  tagError(): string | null {
    return null;
  }

  /** A `constant` tag takes the value until the next write (it stands for a register); computed signals refuse. */
  write(tagId: string, value: number): Promise<WriteOutcome> {
    const tag = this.tags.find((candidate) => candidate.id === tagId);
    if (!tag) return Promise.resolve({ ok: false, error: `simulator ${this.id} has no tag ${tagId}` });
    if (tag.signal.kind !== 'constant') {
      return Promise.resolve({ ok: false, error: `simulated signal "${tag.signal.kind}" of ${tagId} is computed and cannot be written; only "constant" tags take writes` });
    }
    tag.written = value;
    return Promise.resolve({ ok: true });
  }

  followWrite(tagId: string, value: number): void {
    const tag = this.tags.find((candidate) => candidate.id === tagId);
    if (tag?.signal.kind === 'constant') tag.written = value;
  }

  private schedule(sink: DriverSink): void {
    const delayMs = Math.max(0, this.nextT - this.clock.now());
    this.timer = setTimeout(() => this.fire(sink), delayMs);
  }

  private fire(sink: DriverSink): void {
    if (this.state !== 'connected') return;
    const now = this.clock.now();
    const due = Math.floor((now - this.nextT) / this.periodMs) + 1;
    if (due > CATCH_UP_POINTS_MAX) {
      this.errors += 1;
      this.lastError = `fell behind by ${now - this.nextT} ms; skipped ${due - 1} grid points`;
      log('warn', `simulator ${this.id} ${this.lastError}`);
      this.nextT += (due - 1) * this.periodMs;
    }
    const samples: Sample[] = [];
    const pointsMax = Math.max(1, Math.floor(SAMPLES_PER_CALL_MAX / Math.max(1, this.tags.length)));
    for (let points = 0; this.nextT <= now && points < pointsMax; this.nextT += this.periodMs, points++) {
      for (const tag of this.tags) {
        const v = tag.written ?? scale(simValue(tag.signal, this.nextT), tag.scaling);
        samples.push({ tag: tag.id, t: this.nextT, v, q: 'good' });
      }
    }
    if (samples.length > 0) sink.samples(samples);
    this.schedule(sink);
  }
}
