import { afterEach, describe, expect, it } from 'vitest';
import { parseProject } from '../../../shared/project/load-project.js';
import type { Sample } from '../../../shared/protocol/entities.js';
import { SimulatorDriver } from './simulator-driver.js';

const T0 = 1_700_000_000_000;

function bulkProject(bulkTags: number) {
  const result = parseProject({
    format: 'tandem-project/1',
    id: 'p',
    name: 'P',
    drivers: [{ id: 'Load', type: 'simulator', settings: { periodMs: 100, bulkTags } }],
    tags: [],
    alarms: [],
  });
  if (!result.ok) throw new Error(result.errors.join('\n'));
  return result.project;
}

let driver: SimulatorDriver | null = null;
afterEach(() => driver?.stop());

/** Waits until `done()` or a bound of real time passes. */
async function until(done: () => boolean, ms = 5_000): Promise<void> {
  const end = Date.now() + ms;
  while (!done() && Date.now() < end) await new Promise((resolve) => setTimeout(resolve, 5));
}

describe('SimulatorDriver', () => {
  it('catches up after a stall a few grid points per call, without a gap or a repeat', async () => {
    const project = bulkProject(10_000);
    let now = T0;
    const calls: Sample[][] = [];
    const def = project.drivers[0];
    if (def?.type !== 'simulator') throw new Error('expected the simulator driver');
    driver = new SimulatorDriver(def, project.tags, { now: () => now });
    driver.start({ samples: (samples) => calls.push(samples), state: () => {} });
    await until(() => calls.length === 1);
    now = T0 + 5_000;
    await until(() => calls.flat().at(-1)?.t === T0 + 5_000);
    const points = calls.flat().filter((s) => s.tag === project.tags[0]!.id).map((s) => s.t);
    expect(points).toEqual(Array.from({ length: 51 }, (_, i) => T0 + i * 100));
    expect(Math.max(...calls.map((samples) => samples.length))).toBeLessThanOrEqual(20_000);
    expect(calls.length).toBeGreaterThanOrEqual(26);
  });
});
