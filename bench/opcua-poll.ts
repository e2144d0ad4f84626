/**
 * OPC UA subscription throughput: a node-opcua server process with N Doubles that all change every
 * 100 ms, the OpcuaDriver subscribed to every one (sampling and publishing 100 ms). Prints value
 * updates received per second as a ratio to the updates the server makes (the raw limit), and the
 * driver process's CPU time per second of run per 1,000 tags (process.cpuUsage), with the server's
 * own CPU beside it (both share this machine's cores).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { systemClock } from '../electron/runtime/clock.js';
import { OpcuaDriver } from '../electron/runtime/drivers/opcua/opcua-driver.js';
import { parseProject } from '../shared/project/load-project.js';
import { startOpcuaServer } from '../test/support/opcua-server.js';
import { removeDir, tempDir } from '../test/support/runtime-process.js';
import { writeResults } from './results-file.js';

const SIZES = [1_000, 5_000];
const CHANGE_PERIOD_MS = 100;
const MEASURE_MS = 10_000;
const SUBSCRIBE_TIMEOUT_MS = 120_000;
const SATURATED_CPU_MS_PER_S = 900;

function driverFor(endpointUrl: string, tags: number, pkiDir: string): OpcuaDriver {
  const width = Math.max(5, String(tags).length);
  const result = parseProject({
    format: 'tandem-project/1',
    id: 'bench',
    name: 'OPC UA benchmark',
    drivers: [{ id: 'Ua', type: 'opcua', settings: { endpointUrl, pkiDir, samplingIntervalMs: CHANGE_PERIOD_MS, publishingIntervalMs: CHANGE_PERIOD_MS, timeoutMs: 30_000 } }],
    tags: Array.from({ length: tags }, (_, i) => ({ id: `Ua.Bulk.${i + 1}`, driver: 'Ua', address: `ns=1;s=Bulk.${String(i + 1).padStart(width, '0')}` })),
  });
  if (!result.ok) throw new Error(result.errors.join('\n'));
  const def = result.project.drivers[0];
  if (def?.type !== 'opcua') throw new Error('expected the opcua driver');
  return new OpcuaDriver(def, result.project.tags, systemClock);
}

/** CPU ms (user + system) a process has used, from /proc (Linux); NaN elsewhere. */
function processCpuMs(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return Number.NaN;
  }
}

async function sleep(ms: number): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, ms));
}

async function measure(tags: number, pkiDir: string): Promise<Record<string, number>> {
  const server = await startOpcuaServer({ port: 0, generation: 1, pkiDir: join(pkiDir, 'server'), bulk: tags, bulkPeriodMs: CHANGE_PERIOD_MS });
  const driver = driverFor(server.endpointUrl, tags, join(pkiDir, 'client'));
  let received = 0;
  const seen = new Set<string>();
  try {
    const subscribeStart = performance.now();
    driver.start({
      samples: (samples) => {
        for (const sample of samples) {
          if (sample.q !== 'good') continue;
          received += 1;
          seen.add(sample.tag);
        }
      },
      state: () => undefined,
    });
    while (seen.size < tags) {
      if (performance.now() - subscribeStart > SUBSCRIBE_TIMEOUT_MS) throw new Error(`only ${seen.size} of ${tags} tags delivered a value`);
      await sleep(50);
    }
    const subscribeMs = performance.now() - subscribeStart;
    await sleep(1_000);
    const cpu0 = process.cpuUsage();
    const server0 = processCpuMs(server.pid);
    const received0 = received;
    const t0 = performance.now();
    await sleep(MEASURE_MS);
    const seconds = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    const updatesPerSecond = (received - received0) / seconds;
    const offeredPerSecond = (tags * 1000) / CHANGE_PERIOD_MS;
    const clientCpuMsPerSecond = (cpu.user + cpu.system) / 1000 / seconds;
    const serverCpuMsPerSecond = (processCpuMs(server.pid) - server0) / seconds;
    return {
      tags,
      subscribeMs: Math.round(subscribeMs),
      updatesPerSecond: Math.round(updatesPerSecond),
      offeredPerSecond,
      ratioToOffered: Number((updatesPerSecond / offeredPerSecond).toFixed(3)),
      clientCpuMsPerSecondPer1000Tags: Number(((clientCpuMsPerSecond * 1000) / tags).toFixed(1)),
      serverCpuMsPerSecond: Math.round(serverCpuMsPerSecond),
      // node-opcua's server runs on one thread: near 1,000 ms/s it, not the driver, caps the ratio.
      serverSaturated: serverCpuMsPerSecond > SATURATED_CPU_MS_PER_S ? 1 : 0,
    };
  } finally {
    driver.stop();
    await server.stop();
  }
}

const dir = tempDir('tandem-opcua-bench-');
try {
  const runs: Record<string, number>[] = [];
  for (const tags of SIZES) runs.push(await measure(tags, dir));
  writeResults('opcua-poll', { changePeriodMs: CHANGE_PERIOD_MS, measureMs: MEASURE_MS, runs });
} finally {
  removeDir(dir);
}
process.exit(0);
