/**
 * Modbus polling: tags read per second and the driver's CPU time (process.cpuUsage: this process,
 * i.e. the driver and jsmodbus, not the pymodbus server) per second per 1,000 tags, polling 1,000 and
 * 10,000 consecutive holding registers of a pymodbus server on loopback in one group. Each size runs
 * with neighbouring registers merged (125 per request) and with one request per tag; the ratios
 * merged / per-tag come from the same run. Merged, every tag is read each period; per tag, a poll of
 * 10,000 requests takes longer than the period and polls are skipped, which the tags/s figure shows.
 *
 * Flags: --seconds S (5 per measurement), --period-ms MS (1000).
 */
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { makeModbusDriver, recordingSink, type TagSpec } from '../test/support/modbus-driver-harness.js';
import { startModbusServer } from '../test/support/modbus-server.js';
import { writeResults } from './results-file.js';

const { values: flags } = parseArgs({ options: { seconds: { type: 'string', default: '5' }, 'period-ms': { type: 'string', default: '1000' } } });
const SECONDS = Number(flags.seconds);
const PERIOD_MS = Number(flags['period-ms']);
const SIZES = [1_000, 10_000];
/** Whole polls of 10,000 single requests take seconds; give up on a measurement after this long. */
const MEASURE_WAIT_MAX_MS = 300_000;

interface Measurement {
  tagsPerSecond: number;
  cpuMsPerSecondPer1000Tags: number;
  requestsPerPoll: number;
  polls: number;
}

/**
 * Every poll of the single group is one delivery of all its tags. Measured from the end of the second
 * poll (the first runs at connection, off the period grid; the second warms up) to the end of the
 * first poll at least SECONDS later, so the window holds whole polls only, however long one takes.
 */
async function measure(port: number, tagCount: number, mergeReads: boolean): Promise<Measurement> {
  const tags: Record<string, TagSpec> = {};
  for (let i = 0; i < tagCount; i++) tags[`R${i}`] = { address: `hr:${i}` };
  const driver = makeModbusDriver('127.0.0.1', port, tags, { mergeReads }, { timeoutMs: 5_000, pollGroups: [{ id: 'bench', periodMs: PERIOD_MS }] });
  const sink = recordingSink();
  let begin: { wallMs: number; cpu: NodeJS.CpuUsage } | null = null;
  let warmUps = 0;
  let polls = 0;
  const done = new Promise<Measurement>((resolve) => {
    sink.samples = (samples) => {
      if (samples.length !== tagCount) throw new Error(`a poll delivered ${samples.length} of ${tagCount} tags`);
      const wallMs = performance.now();
      if (!begin) {
        warmUps += 1;
        if (warmUps < 2) return;
        begin = { wallMs, cpu: process.cpuUsage() };
        return;
      }
      polls += 1;
      const seconds = (wallMs - begin.wallMs) / 1_000;
      if (seconds < SECONDS || polls < 2) return;
      const cpu = process.cpuUsage(begin.cpu);
      resolve({
        tagsPerSecond: Math.round((polls * tagCount) / seconds),
        cpuMsPerSecondPer1000Tags: Number(((cpu.user + cpu.system) / 1_000 / seconds / (tagCount / 1_000)).toFixed(2)),
        requestsPerPoll: mergeReads ? Math.ceil(tagCount / 125) : tagCount,
        polls,
      });
    };
  });
  driver.start(sink);
  try {
    const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error('polls did not complete in time')), MEASURE_WAIT_MAX_MS).unref());
    const result = await Promise.race([done, timeout]);
    if (driver.status().errors !== 0) throw new Error(`driver errors: ${driver.status().lastError}`);
    return result;
  } finally {
    driver.stop();
  }
}

/** What this process spends doing nothing for the same time (timers, the runtime itself): the floor under every figure. */
async function idleCpuMsPerSecond(): Promise<number> {
  const cpuStart = process.cpuUsage();
  const wallStart = performance.now();
  await new Promise((resolve) => setTimeout(resolve, SECONDS * 1_000));
  const cpu = process.cpuUsage(cpuStart);
  return Number(((cpu.user + cpu.system) / 1_000 / ((performance.now() - wallStart) / 1_000)).toFixed(2));
}

const figures: Record<string, unknown> = { periodMs: PERIOD_MS, secondsPerMeasurement: SECONDS, idleCpuMsPerSecond: await idleCpuMsPerSecond() };
for (const size of SIZES) {
  const server = await startModbusServer(0, 1, { registers: size });
  try {
    const merged = await measure(server.port, size, true);
    const perTag = await measure(server.port, size, false);
    figures[`tags${size}`] = {
      merged,
      perTag,
      tagsPerSecondRatio: Number((merged.tagsPerSecond / perTag.tagsPerSecond).toFixed(2)),
      cpuPerTagRatio: Number((merged.cpuMsPerSecondPer1000Tags / perTag.cpuMsPerSecondPer1000Tags).toFixed(3)),
      targetTagsPerSecond: (size * 1_000) / PERIOD_MS,
      mergedKeepsUp: merged.tagsPerSecond >= 0.95 * ((size * 1_000) / PERIOD_MS),
    };
  } finally {
    await server.stop();
  }
}
writeResults('modbus-poll', figures);
