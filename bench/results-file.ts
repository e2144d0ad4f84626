import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';

const RESULTS_DIR = fileURLToPath(new URL('./results/', import.meta.url));

/** Writes one benchmark's figures to bench/results/<name>.json, with the machine they came from. */
export function writeResults(name: string, figures: Record<string, unknown>): void {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const record = {
    name,
    at: new Date().toISOString(),
    // The 1-minute load average: on a shared machine, figures taken under other load are not comparable.
    machine: { cpus: cpus().length, cpu: cpus()[0]?.model ?? 'unknown', node: process.version, loadAverage1m: Number(loadavg()[0]!.toFixed(2)) },
    ...figures,
  };
  writeFileSync(`${RESULTS_DIR}${name}.json`, JSON.stringify(record, null, 2) + '\n');
  console.log(`${name}: ${JSON.stringify(figures)}`);
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}
