import type { DriverCounters, DriverState, Sample } from '../../../shared/protocol/entities.js';

/** Where a driver delivers what it reads. Samples arrive oldest first. */
export interface DriverSink {
  samples(samples: Sample[]): void;
  state(state: DriverState, error: string | null): void;
}

/** How a write ended: the device took the value, or the reason it did not (refused, no connection, timeout). */
export type WriteOutcome = { ok: true } | { ok: false; error: string };

/** A connection to a source of process values (a PLC, or the built-in simulator). */
export interface Driver {
  readonly id: string;
  start(sink: DriverSink): void;
  stop(): void;
  status(): DriverCounters;
  /** The tag's own problem as a sentence (refused read, value out of range...), or null while it reads fine. */
  tagError(tag: string): string | null;
  /**
   * Writes a value in engineering units (booleans 0 / 1) to one of the driver's tags. The runtime
   * calls it on the Server only, for tags the project declares writable. Never throws: a refusal,
   * a lost connection or a timeout comes back as `{ ok: false, error }`.
   */
  write(tag: string, value: number): Promise<WriteOutcome>;
  /**
   * Simulated drivers only: a write the Server made, replicated to this node. Both nodes' simulators
   * stand for the same plant, so each follows what the Server wrote. Real drivers leave it out (the
   * PLC itself is shared).
   */
  followWrite?(tag: string, value: number): void;
}
