/** `npm run bench`: every benchmark in turn, each in its own process so one cannot warm up the next. */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const BENCHES = ['ingest.ts', 'ui-alarm-list.ts', 'takeover.ts', 'client-switch.ts', 'replication.ts', 'alignment.ts', 'modbus-poll.ts', 'opcua-poll.ts', 'peer-link-tls.ts'];
// `npm run bench -- alignment --offline-s 300`: the first word picks benchmarks, the rest are their flags.
const [only, ...flags] = process.argv.slice(2);
let failed = 0;
for (const bench of BENCHES.filter((name) => !only || name.startsWith(only))) {
  console.log(`\n== ${bench}`);
  const file = fileURLToPath(new URL(bench, import.meta.url));
  const result = spawnSync(process.execPath, ['--import', 'tsx', file, ...flags], { stdio: 'inherit' });
  if (result.status !== 0) failed += 1;
}
process.exit(failed === 0 ? 0 : 1);
