import Database from 'better-sqlite3';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Sample } from '../../../shared/protocol/entities.js';
import { projectDatabaseFile } from './open-database.js';
import { ProjectStore } from './project-store.js';
import { BLOCK_SAMPLES_MAX, OPEN_AGE_MAX_MS } from './sample-archive.js';

const T0 = 1_700_000_000_000;

let dataDir: string;
let store: ProjectStore;
let ops = 0;
beforeEach(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-blocks-'));
  store = ProjectStore.open(dataDir, 'p');
});
afterEach(() => {
  store.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

function archive(samples: Sample[]): void {
  ops += 1;
  store.append([{ id: `s/${ops}`, kind: 'samples', t: samples[0]?.t ?? T0, driver: 'Sim', through: T0, samples }], 0);
}

function reopen(): void {
  store.close();
  store = ProjectStore.open(dataDir, 'p');
}

const at = (tag: string, step: number, v = step, q: Sample['q'] = 'good'): Sample => ({ tag, t: T0 + step * 100, v, q });
const steps = (tag: string, from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => at(tag, from + i));
const values = (tag: string, from = 0, to = 1_000_000) =>
  store.queryArchive({ tag, from: T0 + from * 100, to: T0 + to * 100 }).samples.map((s) => s.v);

/** Rows in sample_blocks, read from a copy of the file (the store holds it locked). */
function blockRows(): number {
  store.close();
  const db = new Database(projectDatabaseFile(dataDir, 'p'), { readonly: true });
  const count = db.prepare<[], number>('SELECT count(*) FROM sample_blocks').pluck().get()!;
  db.close();
  store = ProjectStore.open(dataDir, 'p');
  return count;
}

describe('the archive in blocks', () => {
  it('keeps samples not sealed yet across a restart (rebuilt from the log), with the same digest', () => {
    archive(steps('A', 0, 9));
    const hash = store.stateHash();
    expect(blockRows()).toBe(0);
    expect(values('A')).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(store.stateHash()).toBe(hash);
    archive([at('A', 5, 99), at('A', 10)]);
    expect(values('A')).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });

  it('seals full blocks, and answers across sealed and open samples in time order', () => {
    for (let batch = 0; batch < 10; batch++) archive(steps('A', batch * 100, batch * 100 + 99));
    const rows = blockRows();
    expect(rows).toBeGreaterThanOrEqual(Math.floor(1000 / BLOCK_SAMPLES_MAX));
    expect(values('A')).toEqual(Array.from({ length: 1000 }, (_, i) => i));
    expect(values('A', 250, 260)).toEqual([250, 251, 252, 253, 254, 255, 256, 257, 258, 259, 260]);
    reopen();
    expect(values('A')).toEqual(Array.from({ length: 1000 }, (_, i) => i));
    expect(store.lastSamples()).toEqual([at('A', 999)]);
  });

  it('stores a late sample once, next to sealed blocks, and never a second value for a sealed slot', () => {
    const even = steps('A', 0, 999).filter((s) => s.v % 2 === 0);
    archive(even);
    const before = store.stateHash();
    archive([at('A', 10, -1), at('A', 11), at('A', 13), at('A', 13, -1)]);
    expect(store.stateHash()).not.toBe(before);
    const withLate = store.stateHash();
    archive([at('A', 11, -1), at('A', 13, -1)]);
    expect(store.stateHash()).toBe(withLate);
    expect(values('A', 9, 14)).toEqual([10, 11, 12, 13, 14]);
    reopen();
    expect(values('A', 9, 14)).toEqual([10, 11, 12, 13, 14]);
    expect(store.stateHash()).toBe(withLate);
  });

  it('gives the same digest whatever the batches and the order the samples came in', () => {
    const all = [...steps('A', 0, 799), ...steps('B', 0, 799)];
    archive(all);
    const inOneBatch = store.stateHash();
    store.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
    store = ProjectStore.open(dataDir, 'p');
    const shuffled = [...all].reverse();
    for (let i = 0; i < shuffled.length; i += 97) archive(shuffled.slice(i, i + 97));
    expect(store.stateHash()).toBe(inOneBatch);
    expect(values('A')).toEqual(Array.from({ length: 800 }, (_, i) => i));
  });

  it('seals a block that stays open too long, so the log it is rebuilt from stays short', () => {
    archive([at('Slow', 0)]);
    archive([at('Fast', OPEN_AGE_MAX_MS / 100 + 1)]);
    expect(blockRows()).toBe(1);
    expect(values('Slow')).toEqual([0]);
  });

  it('keeps the facts of truncated ops in the archive', () => {
    archive(steps('A', 0, 4));
    archive(steps('A', 5, 9));
    store.truncateAfter(1);
    expect(values('A')).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    reopen();
    expect(values('A')).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('computes buckets from block statistics the same as from the samples', () => {
    const noisy = steps('A', 0, 2999).map((s, i) => ({ ...s, v: Math.sin(i) * 10, q: i % 7 === 0 ? ('bad' as const) : ('good' as const) }));
    archive(noisy);
    const query = { tag: 'A', from: T0, to: T0 + 3000 * 100, bucketMs: 60_000 };
    const fromStats = store.queryArchive(query).buckets!;
    const expected = new Map<number, number[]>();
    for (const s of noisy) {
      if (s.q !== 'good') continue;
      const start = s.t - (s.t % 60_000);
      expected.set(start, [...(expected.get(start) ?? []), s.v]);
    }
    expect(fromStats.map((b) => b.t)).toEqual([...expected.keys()]);
    for (const bucket of fromStats) {
      const vs = expected.get(bucket.t)!;
      expect(bucket.count).toBe(vs.length);
      expect(bucket.min).toBe(Math.min(...vs));
      expect(bucket.max).toBe(Math.max(...vs));
      expect(bucket.avg).toBeCloseTo(vs.reduce((a, b) => a + b, 0) / vs.length, 9);
    }
  });

  it('refuses a value JSON cannot carry, and stores nothing of that append', () => {
    const hash = store.stateHash();
    expect(() => archive([at('A', 0), at('A', 1, Number.POSITIVE_INFINITY)])).toThrow(/A at .* has the value Infinity/);
    expect(store.stateHash()).toBe(hash);
    expect(values('A')).toEqual([]);
    archive([at('A', 0)]);
    expect(values('A')).toEqual([0]);
  });
});
