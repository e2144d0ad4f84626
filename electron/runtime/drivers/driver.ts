import type { DriverState, DriverStatus, Sample } from '../../../shared/protocol/entities.js';

/** Where a driver delivers what it reads. Samples arrive oldest first. */
export interface DriverSink {
  samples(samples: Sample[]): void;
  state(state: DriverState, error: string | null): void;
}

/** A connection to a source of process values (a PLC, or the built-in simulator). Read-only for now. */
export interface Driver {
  readonly id: string;
  start(sink: DriverSink): void;
  stop(): void;
  status(): DriverStatus;
}
