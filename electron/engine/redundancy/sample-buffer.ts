import type { Sample } from '../../../shared/protocol/entities.js';

interface Batch {
  driver: string;
  through: number;
  samples: Sample[];
}

/**
 * The Standby's autonomous buffer: what its own drivers read while another node serves, kept for a
 * window of time (at least 1.5 x the failure timeout) and bounded in samples. When the Standby takes
 * over, the batches newer than what the Server had processed fill the gap of the failure detection.
 */
export class SampleBuffer {
  private batches: Batch[] = [];
  private count = 0;

  constructor(
    private readonly windowMs: number,
    private readonly samplesMax: number,
  ) {}

  add(driver: string, samples: Sample[]): void {
    const last = samples.at(-1);
    if (!last) return;
    this.batches.push({ driver, through: last.t, samples });
    this.count += samples.length;
    this.prune(last.t);
  }

  /** Batches of each driver newer than the time the Server had processed that driver through. */
  after(processedThrough: ReadonlyMap<string, number>): Batch[] {
    return this.batches
      .map((batch) => {
        const through = processedThrough.get(batch.driver) ?? -Infinity;
        return batch.through <= through ? null : { ...batch, samples: batch.samples.filter((sample) => sample.t > through) };
      })
      .filter((batch): batch is Batch => batch !== null);
  }

  get oldestMs(): number | null {
    return this.batches[0]?.samples[0]?.t ?? null;
  }

  clear(): void {
    this.batches = [];
    this.count = 0;
  }

  private prune(newestMs: number): void {
    let drop = 0;
    while (drop < this.batches.length) {
      const batch = this.batches[drop]!;
      if (batch.through >= newestMs - this.windowMs && this.count <= this.samplesMax) break;
      this.count -= batch.samples.length;
      drop += 1;
    }
    if (drop > 0) this.batches = this.batches.slice(drop);
  }
}
