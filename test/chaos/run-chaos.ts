/** `npm run chaos -- [--rounds N] [--seed S]`: a long fault series against real processes. */
import { parseArgs } from 'node:util';

import { runChaos } from './chaos-pair.js';

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '30' }, seed: { type: 'string', default: '1' } } });
const rounds = Number(values.rounds);
const seed = Number(values.seed);
if (!Number.isInteger(rounds) || rounds < 1 || rounds > 1000 || !Number.isInteger(seed)) {
  console.error('chaos: --rounds takes a whole number from 1 to 1000, --seed a whole number');
  process.exit(2);
}
const result = await runChaos({ seed, rounds, log: (line) => console.log(line) });
const recovered = result.rounds.map((r) => r.recoveredMs).sort((a, b) => a - b);
console.log(`${result.rounds.length} rounds, ${result.confirmedCommands} confirmed commands, ${result.slotsChecked} archive slots checked; recovery to a whole pair p50 ${recovered[Math.floor(recovered.length / 2)]} ms, max ${recovered.at(-1)} ms`);
for (const violation of result.violations) console.log(`VIOLATION (seed ${seed}): ${violation}`);
console.log(`${result.violations.length === 0 ? 1 : 0} passed, ${result.violations.length === 0 ? 0 : 1} failed`);
process.exit(result.violations.length === 0 ? 0 : 1);
