import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ARCHIVE_BUCKETS_MAX, ARCHIVE_SAMPLES_MAX } from '../../../shared/protocol/api.js';
import type { Sample } from '../../../shared/protocol/entities.js';
import { ProjectStore } from './project-store.js';

/** A multiple of every bucket width used here, so bucket starts are easy to read. */
const T0 = 1_700_000_000_000;

let dataDir: string;
let store: ProjectStore;
let batches = 0;
beforeEach(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-archive-'));
  store = ProjectStore.open(dataDir, 'p');
});
afterEach(() => {
  store.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

function archive(samples: Sample[]): void {
  batches += 1;
  store.append([{ id: `s/${batches}`, kind: 'samples', t: T0, driver: 'Sim', through: T0, samples }], 0);
}

function series(tag: string, count: number, stepMs: number, value: (i: number) => number): Sample[] {
  return Array.from({ length: count }, (_, i) => ({ tag, t: T0 + i * stepMs, v: value(i), q: 'good' }));
}

describe('raw archive queries', () => {
  it('return the samples of one tag between from and to inclusive, oldest first, with quality', () => {
    archive([...series('T1', 10, 1000, (i) => i).reverse(), ...series('T2', 10, 1000, (i) => -i)]);
    archive([{ tag: 'T1', t: T0 + 10_500, v: 0, q: 'commError' }]);
    const answer = store.queryArchive({ tag: 'T1', from: T0 + 2000, to: T0 + 10_500 });
    expect(answer.samples.map((s) => s.v)).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 0]);
    expect(answer.samples.at(-1)).toEqual({ t: T0 + 10_500, v: 0, q: 'commError' });
    expect(answer).toMatchObject({ tag: 'T1', from: T0 + 2000, to: T0 + 10_500, truncated: false });
  });

  it('answer an unknown tag with no samples', () => {
    archive(series('T1', 3, 1000, (i) => i));
    expect(store.queryArchive({ tag: 'Nope', from: 0, to: T0 * 2 })).toEqual({
      tag: 'Nope',
      from: 0,
      to: T0 * 2,
      samples: [],
      truncated: false,
    });
    expect(store.queryArchive({ tag: 'Nope', from: 0, to: T0 * 2, bucketMs: T0 }).buckets).toEqual([]);
  });

  it(`stop at ${ARCHIVE_SAMPLES_MAX} samples and say the answer is truncated`, () => {
    const samples = series('T1', ARCHIVE_SAMPLES_MAX + 1, 10, (i) => i);
    archive(samples.slice(0, ARCHIVE_SAMPLES_MAX));
    const full = store.queryArchive({ tag: 'T1', from: 0, to: T0 * 2 });
    expect(full.samples).toHaveLength(ARCHIVE_SAMPLES_MAX);
    expect(full.truncated).toBe(false);
    archive(samples.slice(ARCHIVE_SAMPLES_MAX));
    const cut = store.queryArchive({ tag: 'T1', from: 0, to: T0 * 2 });
    expect(cut.samples).toHaveLength(ARCHIVE_SAMPLES_MAX);
    expect(cut.samples.at(-1)!.v).toBe(ARCHIVE_SAMPLES_MAX - 1);
    expect(cut.truncated).toBe(true);
  });
});

describe('bucketed archive queries', () => {
  it('give min, max, avg and count of good samples per bucket, leaving empty buckets out', () => {
    archive([
      ...series('T1', 4, 250, (i) => [1, 5, 3, 7][i]!),
      { tag: 'T1', t: T0 + 1100, v: 1000, q: 'bad' },
      { tag: 'T1', t: T0 + 3000, v: -2, q: 'good' },
      { tag: 'T1', t: T0 + 3999, v: 4, q: 'good' },
      { tag: 'T2', t: T0 + 3500, v: 50, q: 'good' },
    ]);
    const answer = store.queryArchive({ tag: 'T1', from: T0, to: T0 + 5000, bucketMs: 1000 });
    expect(answer.samples).toEqual([]);
    expect(answer.truncated).toBe(false);
    expect(answer.buckets).toEqual([
      { t: T0, min: 1, max: 7, avg: 4, count: 4 },
      { t: T0 + 3000, min: -2, max: 4, avg: 1, count: 2 },
    ]);
  });

  it('start buckets at multiples of bucketMs, even before from', () => {
    archive(series('T1', 10, 100, (i) => i));
    const answer = store.queryArchive({ tag: 'T1', from: T0 + 350, to: T0 + 900, bucketMs: 500 });
    expect(answer.buckets).toEqual([
      { t: T0, min: 4, max: 4, avg: 4, count: 1 },
      { t: T0 + 500, min: 5, max: 9, avg: 7, count: 5 },
    ]);
  });

  it('hold their limit even for a query the protocol would refuse', () => {
    archive(series('T1', ARCHIVE_BUCKETS_MAX + 5, 1, (i) => i));
    const answer = store.queryArchive({ tag: 'T1', from: T0, to: T0 + ARCHIVE_BUCKETS_MAX + 5, bucketMs: 1 });
    expect(answer.buckets).toHaveLength(ARCHIVE_BUCKETS_MAX + 1);
    expect(answer.truncated).toBe(true);
  });
});
