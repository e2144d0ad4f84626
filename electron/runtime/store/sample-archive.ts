import type { Database, Statement } from 'better-sqlite3';
import type { StateDigest } from '../../../shared/domain/state-digest.js';
import {
  ARCHIVE_BUCKETS_MAX,
  ARCHIVE_SAMPLES_MAX,
  type ArchiveBucket,
  type ArchiveQuery,
  type ArchiveResponse,
  type ArchiveSample,
} from '../../../shared/protocol/api.js';
import type { Quality, Sample } from '../../../shared/protocol/entities.js';

/** Stored quality codes. Part of the file format: append new qualities, never renumber. */
const QUALITIES: readonly Quality[] = ['good', 'bad', 'stale', 'commError'];
const QUALITY_CODE = new Map(QUALITIES.map((quality, code) => [quality, code]));
const GOOD = QUALITY_CODE.get('good')!;

/**
 * Rows per multi-row INSERT: one statement call per 256 samples instead of per sample, with
 * 4 x 256 parameters well inside SQLite's limit of 32766.
 */
const ROWS_PER_INSERT = 256;
const PARAMS_PER_ROW = 4;

/** Rolls back a multi-row INSERT that met a slot already taken, so its rows are retried one by one. */
class SlotTaken extends Error {}

/**
 * The sample archive: `samples` keyed by (tag, t), tag names mapped to small integer ids by `tags`.
 * A slot keeps the first value recorded for it, and only samples actually stored enter the digest.
 */
export class SampleArchive {
  readonly #tagIds = new Map<string, number>();
  readonly #selectTags: Statement<[], { id: number; name: string }>;
  readonly #insertTag: Statement<[string]>;
  readonly #insertOne: Statement<unknown[]>;
  readonly #insertMany: Statement<unknown[]>;
  readonly #insertManyOrRollBack: (params: unknown[]) => void;
  readonly #raw: Statement<unknown[], [number, number, number]>;
  readonly #buckets: Statement<Record<string, number>, [number, number, number, number, number]>;
  readonly #newestPerTag: Statement<[], [string, number, number, number]>;
  readonly #params = new Array<unknown>(ROWS_PER_INSERT * PARAMS_PER_ROW);

  constructor(db: Database) {
    this.#selectTags = db.prepare('SELECT id, name FROM tags');
    this.#insertTag = db.prepare('INSERT INTO tags (name) VALUES (?)');
    // DO NOTHING on the slot only: any other constraint (a NaN value stored as NULL) still fails loudly.
    const insert = (rows: number) =>
      `INSERT INTO samples (tag_id, t, v, q) VALUES ${Array(rows).fill('(?, ?, ?, ?)').join(', ')}
       ON CONFLICT (tag_id, t) DO NOTHING`;
    this.#insertOne = db.prepare(insert(1));
    this.#insertMany = db.prepare(insert(ROWS_PER_INSERT));
    // Nested in the append transaction, better-sqlite3 runs this inside a SAVEPOINT.
    this.#insertManyOrRollBack = db.transaction((params: unknown[]) => {
      if (this.#insertMany.run(params).changes !== ROWS_PER_INSERT) throw new SlotTaken();
    });
    this.#raw = db
      .prepare('SELECT t, v, q FROM samples WHERE tag_id = ? AND t >= ? AND t <= ? ORDER BY t LIMIT ?')
      .raw() as Statement<unknown[], [number, number, number]>;
    // Buckets start at multiples of bucketMs, so they stay put while a trend window scrolls. `%` works
    // on integers, where `/` would divide the double better-sqlite3 binds a JS number as.
    this.#buckets = db
      .prepare(
        `SELECT t - t % @bucketMs AS bucket, min(v), max(v), avg(v), count(*) FROM samples
         WHERE tag_id = @tagId AND t >= @from AND t <= @to AND q = ${GOOD}
         GROUP BY bucket ORDER BY bucket LIMIT @limit`,
      )
      .raw() as Statement<Record<string, number>, [number, number, number, number, number]>;
    this.#newestPerTag = db
      .prepare(
        `SELECT tags.name, samples.t, samples.v, samples.q FROM tags JOIN samples ON samples.tag_id = tags.id
         WHERE samples.t = (SELECT max(t) FROM samples WHERE tag_id = tags.id) ORDER BY tags.name`,
      )
      .raw() as Statement<[], [string, number, number, number]>;
    this.reloadTags();
  }

  /** Call after a transaction that may have added tags was rolled back. */
  reloadTags(): void {
    this.#tagIds.clear();
    for (const { id, name } of this.#selectTags.iterate()) this.#tagIds.set(name, id);
  }

  /** Stores the samples whose slot is empty and adds exactly those to the digest. Call inside a transaction. */
  insert(samples: readonly Sample[], digest: StateDigest): void {
    let start = 0;
    for (; start + ROWS_PER_INSERT <= samples.length; start += ROWS_PER_INSERT) {
      if (this.#tryInsertAllNew(samples, start)) {
        for (let i = start; i < start + ROWS_PER_INSERT; i++) digest.addSample(samples[i]!);
      } else {
        this.#insertEach(samples, start, start + ROWS_PER_INSERT, digest);
      }
    }
    this.#insertEach(samples, start, samples.length, digest);
  }

  lastSamples(): Sample[] {
    return this.#newestPerTag.all().map(([tag, t, v, q]) => ({ tag, t, v, q: QUALITIES[q]! }));
  }

  /** Unknown tags give an empty answer: whether a tag exists is the project's to say, not the archive's. */
  query(q: ArchiveQuery): ArchiveResponse {
    const tagId = this.#tagIds.get(q.tag);
    const answer = { tag: q.tag, from: q.from, to: q.to, samples: [] as ArchiveSample[], truncated: false };
    if (q.bucketMs === undefined) {
      if (tagId === undefined) return answer;
      const rows = this.#raw.all(tagId, q.from, q.to, ARCHIVE_SAMPLES_MAX + 1);
      answer.truncated = rows.length > ARCHIVE_SAMPLES_MAX;
      answer.samples = rows.slice(0, ARCHIVE_SAMPLES_MAX).map(([t, v, code]) => ({ t, v, q: QUALITIES[code]! }));
      return answer;
    }
    if (tagId === undefined) return { ...answer, buckets: [] };
    // A range of ARCHIVE_BUCKETS_MAX bucket widths touches at most one more aligned bucket.
    const bucketsMax = ARCHIVE_BUCKETS_MAX + 1;
    const rows = this.#buckets.all({ tagId, from: q.from, to: q.to, bucketMs: q.bucketMs, limit: bucketsMax + 1 });
    const buckets: ArchiveBucket[] = rows
      .slice(0, bucketsMax)
      .map(([t, min, max, avg, count]) => ({ t, min, max, avg, count }));
    return { ...answer, buckets, truncated: rows.length > bucketsMax };
  }

  #tryInsertAllNew(samples: readonly Sample[], start: number): boolean {
    const params = this.#params;
    for (let i = 0; i < ROWS_PER_INSERT; i++) {
      const sample = samples[start + i]!;
      const at = i * PARAMS_PER_ROW;
      params[at] = this.#tagId(sample.tag);
      params[at + 1] = sample.t;
      params[at + 2] = sample.v;
      params[at + 3] = QUALITY_CODE.get(sample.q);
    }
    try {
      this.#insertManyOrRollBack(params);
      return true;
    } catch (error) {
      if (error instanceof SlotTaken) return false;
      throw error;
    }
  }

  #insertEach(samples: readonly Sample[], start: number, end: number, digest: StateDigest): void {
    for (let i = start; i < end; i++) {
      const sample = samples[i]!;
      const stored = this.#insertOne.run(this.#tagId(sample.tag), sample.t, sample.v, QUALITY_CODE.get(sample.q));
      if (stored.changes > 0) digest.addSample(sample);
    }
  }

  /** Tag ids are local to this file: two nodes may number the same tag differently. */
  #tagId(name: string): number {
    let id = this.#tagIds.get(name);
    if (id === undefined) {
      id = Number(this.#insertTag.run(name).lastInsertRowid);
      this.#tagIds.set(name, id);
    }
    return id;
  }
}
