import type { DriverSink } from '../../electron/runtime/drivers/driver.js';
import type { DriverState, Sample } from '../../shared/protocol/entities.js';

export type RecordingSink = DriverSink & { latest: Map<string, Sample>; all: Sample[]; states: [DriverState, string | null][] };

/** Collects what a driver delivers; `latest` is the newest sample of each tag. */
export function recordingSink(): RecordingSink {
  const latest = new Map<string, Sample>();
  const all: Sample[] = [];
  const states: [DriverState, string | null][] = [];
  return {
    latest,
    all,
    states,
    samples: (samples) => {
      for (const sample of samples) {
        latest.set(sample.tag, sample);
        all.push(sample);
      }
    },
    state: (state, error) => states.push([state, error]),
  };
}

/** Polls `condition` every 20 ms; fails naming `what` after `timeoutMs`. */
export async function waitUntil(what: string, condition: () => boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
