/**
 * `npm run sim -- [--seeds N] [--from S] [--seed S] [--mode safety|liveness|both] [--duration-ms D]`
 * Runs seeded simulations of a Server/Standby pair; a failure prints its seed, and `--seed S`
 * replays exactly that run with its faults and role changes.
 */
import { parseArgs } from 'node:util';
import { runSimulation, type SimOptions } from './sim-cluster.js';

const { values } = parseArgs({
  options: {
    seeds: { type: 'string', default: '1000' },
    from: { type: 'string', default: '1' },
    seed: { type: 'string' },
    mode: { type: 'string', default: 'both' },
    'duration-ms': { type: 'string', default: '60000' },
  },
});
const modes: SimOptions['mode'][] = values.mode === 'both' ? ['safety', 'liveness'] : [values.mode as SimOptions['mode']];
if (!modes.every((mode) => mode === 'safety' || mode === 'liveness')) {
  console.error(`sim: --mode must be safety, liveness or both, got "${values.mode}"`);
  process.exit(2);
}
const durationMs = Number(values['duration-ms']);
const first = Number(values.seed ?? values.from);
const count = values.seed ? 1 : Number(values.seeds);
if (![durationMs, first, count].every((n) => Number.isInteger(n) && n > 0)) {
  console.error('sim: --seeds, --from, --seed and --duration-ms take whole numbers above 0');
  process.exit(2);
}

let failed = 0;
const started = Date.now();
for (const mode of modes) {
  for (let seed = first; seed < first + count; seed++) {
    const result = runSimulation({ seed, durationMs, mode });
    if (values.seed) {
      console.log(`faults: ${result.faults.join('; ') || 'none'}`);
      for (const c of result.roleChanges) console.log(`  ${c.atMs - result.startMs} ms ${c.node} ${c.role} epoch ${c.epoch}: ${c.reason}`);
    }
    if (result.violations.length === 0) continue;
    failed += 1;
    console.log(`FAIL seed ${seed} (${mode}): ${result.violations.join('; ')}\n  replay: npm run sim -- --seed ${seed} --mode ${mode}`);
  }
}
const runs = count * modes.length;
console.log(`${runs - failed} passed, ${failed} failed`);
console.log(`(${runs} simulated minutes of a pair in ${((Date.now() - started) / 1000).toFixed(1)} s)`);
process.exit(failed === 0 ? 0 : 1);
