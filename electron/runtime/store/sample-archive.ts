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
import { OpenBlock } from './open-block.js';
import { blockStats, decodeBlock, encodeBlock, GOOD_CODE, type BlockSamples } from './sample-block.js';

/** Stored quality codes. Part of the file format: append new qualities, never renumber. */
const QUALITIES: readonly Quality[] = ['good', 'bad', 'stale', 'commError'];
const QUALITY_CODE = new Map(QUALITIES.map((quality, code) => [quality, code]));
if (QUALITY_CODE.get('good') !== GOOD_CODE) throw new Error('quality code of good must be GOOD_CODE');

/** The most samples a block holds. Open blocks are sealed at a capacity between half this and this. */
export const BLOCK_SAMPLES_MAX = 256;
/** The longest time a block covers (t_last - t_first); lets a time range find its blocks by t_first. */
export const BLOCK_SPAN_MAX_MS = 60_000;
/** An open block whose first sample is this much older than the newest sample stored is sealed. */
export const OPEN_AGE_MAX_MS = 30_000;
/** Seals for age per insert call at most, so sparse tags that age together do not stall one call. */
const AGE_SEALS_PER_CALL_MAX = 500;

interface BlockRow {
  t_first: number;
  t_last: number;
  n: number;
  good_n: number;
  v_min: number | null;
  v_max: number | null;
  v_sum: number | null;
  data: Buffer;
}

/** What the archive knows of one tag between queries. */
interface TagState {
  readonly id: number;
  readonly name: string;
  open: OpenBlock | null;
  /** The newest t in the tag's sealed blocks. */
  sealedThrough: number;
  /** The newest stored sample (t -Infinity: none). */
  newestT: number;
  newestV: number;
  newestQ: number;
}

/**
 * The sample archive. Each tag's samples are packed into blocks (`sample_blocks`, one row of up to
 * BLOCK_SAMPLES_MAX samples, keyed by (tag, first t)), so archiving 10,000 tags writes a few block rows
 * per batch instead of one B-tree leaf per tag. The newest samples of each tag wait in an open block in
 * memory until it is sealed; they are durable already, in the log's samples ops, and rebuilt from
 * them at start (`log` is kept from `meta.archive_open_seq` on).
 *
 * A slot (tag, t) keeps the first value stored for it; only samples actually stored enter the digest.
 * A sample older than its tag's sealed blocks (a late one: a merge, a catch-up) is checked against
 * those blocks and, if new, stored in a block of its own; blocks of a tag may overlap in time.
 */
export class SampleArchive {
  readonly #db: Database;
  readonly #tags = new Map<string, TagState>();
  /** The tags with an open block. */
  readonly #open = new Set<TagState>();
  #newestT = -Infinity;
  /** The newest sample time when open blocks were last checked for age. */
  #ageCheckedAt = -Infinity;
  readonly #selectTags: Statement<[], { id: number; name: string }>;
  readonly #insertTag: Statement<[string]>;
  readonly #insertBlock: Statement<unknown[]>;
  readonly #blocksFrom: Statement<[number, number, number, number], BlockRow>;
  readonly #setOpenSeq: Statement<[string]>;

  constructor(db: Database) {
    this.#db = db;
    this.#selectTags = db.prepare('SELECT id, name FROM tags');
    this.#insertTag = db.prepare('INSERT INTO tags (name) VALUES (?)');
    this.#insertBlock = db.prepare(
      `INSERT INTO sample_blocks (tag_id, t_first, t_last, n, good_n, v_min, v_max, v_sum, data)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    // Blocks of one tag that may hold samples in [from, to]: a block starts at most BLOCK_SPAN_MAX_MS
    // before its last sample. Params: tag id, from - span, to, from.
    this.#blocksFrom = db.prepare(
      `SELECT t_first, t_last, n, good_n, v_min, v_max, v_sum, data FROM sample_blocks
       WHERE tag_id = ? AND t_first >= ? AND t_first <= ? AND t_last >= ? ORDER BY t_first`,
    );
    this.#setOpenSeq = db.prepare("UPDATE meta SET value = ? WHERE key = 'archive_open_seq'");
    this.reload();
  }

  /**
   * Reads the tags, the sealed state and the open blocks (from the log) again. Called at open, and after
   * a transaction that stored samples was rolled back.
   */
  reload(): void {
    this.#tags.clear();
    this.#open.clear();
    this.#newestT = -Infinity;
    this.#ageCheckedAt = -Infinity;
    for (const { id, name } of this.#selectTags.iterate()) this.#remember(id, name);
    this.#loadSealed();
    this.#rebuildOpenBlocks();
  }

  /**
   * Stores the samples whose slot is empty and adds exactly those to the digest. `seq` is the op that
   * carries them. Call inside the transaction that logs that op.
   */
  insert(samples: readonly Sample[], seq: number, digest: StateDigest): void {
    let late: Map<TagState, Sample[]> | null = null;
    let sealed = false;
    for (const sample of samples) {
      // The log carries ops as JSON, which has no NaN or Infinity: such a value could not be rebuilt.
      if (!Number.isFinite(sample.v)) throw new Error(`sample of ${sample.tag} at ${sample.t} has the value ${sample.v}; only finite numbers are archived`);
      const tag = this.#tag(sample.tag);
      const code = QUALITY_CODE.get(sample.q)!;
      for (;;) {
        if (sample.t <= tag.sealedThrough) {
          late ??= new Map();
          const list = late.get(tag) ?? [];
          list.push(sample);
          late.set(tag, list);
          break;
        }
        const open = tag.open;
        if (open && (open.size >= open.capacity || open.spanWith(sample.t) > BLOCK_SPAN_MAX_MS)) {
          this.#seal(tag);
          sealed = true;
          continue;
        }
        if (this.#openOf(tag, seq, sample.t).add(sample.t, sample.v, code)) {
          digest.addSample(sample);
          noteNewest(tag, sample.t, sample.v, code);
          if (sample.t > this.#newestT) this.#newestT = sample.t;
        }
        break;
      }
    }
    if (late) this.#storeLate(late, digest);
    if (this.#sealForAge()) sealed = true;
    if (sealed) this.#setOpenSeq.run(String(this.#openSeq(seq + 1)));
  }

  /** Seals every open block: before the log loses ops that carry open samples (truncation). */
  sealAll(nextSeq: number): void {
    for (const tag of [...this.#open]) this.#seal(tag);
    this.#setOpenSeq.run(String(nextSeq));
  }

  /** The newest stored sample of each tag, by sample time, ordered by tag name. */
  lastSamples(): Sample[] {
    return [...this.#tags.values()]
      .filter((tag) => tag.newestT > -Infinity)
      .map((tag) => ({ tag: tag.name, t: tag.newestT, v: tag.newestV, q: QUALITIES[tag.newestQ]! }))
      .sort((a, b) => (a.tag < b.tag ? -1 : a.tag > b.tag ? 1 : 0));
  }

  /** Unknown tags give an empty answer: whether a tag exists is the project's to say, not the archive's. */
  query(q: ArchiveQuery): ArchiveResponse {
    const tag = this.#tags.get(q.tag);
    const answer = { tag: q.tag, from: q.from, to: q.to, samples: [] as ArchiveSample[], truncated: false };
    if (q.bucketMs === undefined) {
      if (tag === undefined) return answer;
      const rows = this.#raw(tag, q.from, q.to, ARCHIVE_SAMPLES_MAX + 1);
      answer.truncated = rows.length > ARCHIVE_SAMPLES_MAX;
      answer.samples = rows.slice(0, ARCHIVE_SAMPLES_MAX).map(([t, v, code]) => ({ t, v, q: QUALITIES[code]! }));
      return answer;
    }
    if (tag === undefined) return { ...answer, buckets: [] };
    // A range of ARCHIVE_BUCKETS_MAX bucket widths touches at most one more aligned bucket.
    const bucketsMax = ARCHIVE_BUCKETS_MAX + 1;
    const all = this.#buckets(tag, q.from, q.to, q.bucketMs);
    return { ...answer, buckets: all.slice(0, bucketsMax), truncated: all.length > bucketsMax };
  }

  #raw(tag: TagState, from: number, to: number, limit: number): Array<[number, number, number]> {
    const rows: Array<[number, number, number]> = [];
    let sorted = true;
    for (const block of this.#blocksFrom.iterate(tag.id, from - BLOCK_SPAN_MAX_MS, to, from)) {
      // Blocks come by first t: once `limit` samples lie before this block, no later block changes them.
      if (rows.length >= limit) {
        if (!sorted) sortByTime(rows);
        sorted = true;
        if (rows[limit - 1]![0] < block.t_first) break;
      }
      const samples = decodeBlock(block.data, block.n);
      for (let i = 0; i < block.n; i++) {
        const t = samples.t[i]!;
        if (t < from || t > to) continue;
        if (sorted && rows.length > 0 && t < rows.at(-1)![0]) sorted = false;
        rows.push([t, samples.v[i]!, samples.q[i]!]);
      }
    }
    if (!sorted) sortByTime(rows);
    // Open samples are newer than every sealed one of their tag.
    if (tag.open) for (const row of tag.open.between(from, to)) rows.push(row);
    return rows.slice(0, limit);
  }

  /** Buckets at multiples of bucketMs over good samples; a block inside one bucket is read from its stats. */
  #buckets(tag: TagState, from: number, to: number, bucketMs: number): ArchiveBucket[] {
    const buckets = new Map<number, { min: number; max: number; sum: number; count: number }>();
    const add = (t: number, min: number, max: number, sum: number, count: number) => {
      const start = t - (t % bucketMs);
      const bucket = buckets.get(start);
      if (!bucket) buckets.set(start, { min, max, sum, count });
      else {
        bucket.min = Math.min(bucket.min, min);
        bucket.max = Math.max(bucket.max, max);
        bucket.sum += sum;
        bucket.count += count;
      }
    };
    const addSamples = (samples: BlockSamples, n: number) => {
      for (let i = 0; i < n; i++) {
        const t = samples.t[i]!;
        if (t < from || t > to || samples.q[i] !== GOOD_CODE) continue;
        const v = samples.v[i]!;
        add(t, v, v, v, 1);
      }
    };
    for (const block of this.#blocksFrom.iterate(tag.id, from - BLOCK_SPAN_MAX_MS, to, from)) {
      const inside = block.t_first >= from && block.t_last <= to;
      const oneBucket = block.t_first - (block.t_first % bucketMs) === block.t_last - (block.t_last % bucketMs);
      if (inside && oneBucket) {
        if (block.good_n > 0) add(block.t_first, block.v_min!, block.v_max!, block.v_sum!, block.good_n);
      } else {
        addSamples(decodeBlock(block.data, block.n), block.n);
      }
    }
    if (tag.open) addSamples(tag.open, tag.open.size);
    return [...buckets]
      .sort(([a], [b]) => a - b)
      .map(([t, { min, max, sum, count }]) => ({ t, min, max, avg: sum / count, count }));
  }

  #openOf(tag: TagState, seq: number, firstT: number): OpenBlock {
    if (!tag.open) {
      tag.open = new OpenBlock(seq, capacityOf(tag.id, firstT));
      this.#open.add(tag);
    }
    return tag.open;
  }

  #seal(tag: TagState): void {
    const open = tag.open!;
    this.#writeBlock(tag.id, open, open.size);
    tag.sealedThrough = Math.max(tag.sealedThrough, open.lastT);
    tag.open = null;
    this.#open.delete(tag);
  }

  #writeBlock(tagId: number, samples: BlockSamples, n: number): void {
    const stats = blockStats(samples, n);
    this.#insertBlock.run(tagId, samples.t[0], samples.t[n - 1], n, stats.goodCount, stats.min, stats.max, stats.sum, encodeBlock(samples, n));
  }

  /**
   * Seals open blocks that are too old, at most AGE_SEALS_PER_CALL_MAX of them; looks once per second of
   * sample time, or again at once while some were left. True if any was sealed.
   */
  #sealForAge(): boolean {
    if (this.#newestT < this.#ageCheckedAt + 1_000) return false;
    const oldest = this.#newestT - OPEN_AGE_MAX_MS;
    let count = 0;
    for (const tag of this.#open) {
      if (tag.open!.firstT >= oldest) continue;
      if (count >= AGE_SEALS_PER_CALL_MAX) return true;
      this.#seal(tag);
      count += 1;
    }
    this.#ageCheckedAt = this.#newestT;
    return count > 0;
  }

  /** Stores the late samples (per tag, older than its sealed blocks' end) whose slot is empty. */
  #storeLate(late: Map<TagState, Sample[]>, digest: StateDigest): void {
    for (const [tag, samples] of late) {
      let from = Infinity;
      let to = -Infinity;
      for (const { t } of samples) {
        from = Math.min(from, t);
        to = Math.max(to, t);
      }
      const taken = new Set<number>();
      for (const block of this.#blocksFrom.iterate(tag.id, from - BLOCK_SPAN_MAX_MS, to, from)) {
        const stored = decodeBlock(block.data, block.n);
        for (let i = 0; i < block.n; i++) taken.add(stored.t[i]!);
      }
      const fresh: Sample[] = [];
      for (const sample of samples) {
        if (taken.has(sample.t)) continue;
        taken.add(sample.t);
        fresh.push(sample);
        digest.addSample(sample);
      }
      fresh.sort((a, b) => a.t - b.t);
      this.#writeLateBlocks(tag.id, fresh);
    }
  }

  /** Late samples, oldest first, in blocks within the count and span limits. */
  #writeLateBlocks(tagId: number, samples: readonly Sample[]): void {
    let start = 0;
    while (start < samples.length) {
      let end = start + 1;
      while (end < samples.length && end - start < BLOCK_SAMPLES_MAX && samples[end]!.t - samples[start]!.t <= BLOCK_SPAN_MAX_MS) end++;
      const chunk = samples.slice(start, end);
      const block = { t: chunk.map((s) => s.t), v: chunk.map((s) => s.v), q: chunk.map((s) => QUALITY_CODE.get(s.q)!) };
      this.#writeBlock(tagId, block, chunk.length);
      start = end;
    }
  }

  /** The smallest seq of the ops that opened the open blocks: the log must be kept from there. */
  #openSeq(whenNoneOpen: number): number {
    let seq = whenNoneOpen;
    for (const tag of this.#open) seq = Math.min(seq, tag.open!.firstSeq);
    return seq;
  }

  /** Per tag, where its sealed blocks end and its newest sealed sample. */
  #loadSealed(): void {
    const lastBlock = this.#db.prepare<[number, number, number], { t_last: number; n: number; data: Buffer }>(
      `SELECT t_last, n, data FROM sample_blocks
       WHERE tag_id = ? AND t_first >= (SELECT max(t_first) FROM sample_blocks WHERE tag_id = ?) - ?
       ORDER BY t_last DESC LIMIT 1`,
    );
    for (const tag of this.#tags.values()) {
      const block = lastBlock.get(tag.id, tag.id, BLOCK_SPAN_MAX_MS);
      if (!block) continue;
      tag.sealedThrough = block.t_last;
      const samples = decodeBlock(block.data, block.n);
      const last = samples.t.length - 1;
      noteNewest(tag, samples.t[last]!, samples.v[last]!, samples.q[last]!);
      this.#newestT = Math.max(this.#newestT, tag.newestT);
    }
  }

  /** Replays the samples ops from `archive_open_seq` on into open blocks, sealing nothing. */
  #rebuildOpenBlocks(): void {
    const from = Number(this.#db.prepare<[], string>("SELECT value FROM meta WHERE key = 'archive_open_seq'").pluck().get());
    const ops = this.#db.prepare<[number], { seq: number; body: string }>("SELECT seq, body FROM log WHERE seq >= ? AND kind = 'samples' ORDER BY seq");
    for (const { seq, body } of ops.iterate(from)) {
      const { samples } = JSON.parse(body) as { samples: Sample[] };
      for (const sample of samples) {
        const tag = this.#tags.get(sample.tag);
        if (tag === undefined || sample.t <= tag.sealedThrough) continue;
        const code = QUALITY_CODE.get(sample.q)!;
        if (this.#openOf(tag, seq, sample.t).add(sample.t, sample.v, code)) {
          noteNewest(tag, sample.t, sample.v, code);
          this.#newestT = Math.max(this.#newestT, sample.t);
        }
      }
    }
  }

  #remember(id: number, name: string): TagState {
    const tag: TagState = { id, name, open: null, sealedThrough: -Infinity, newestT: -Infinity, newestV: 0, newestQ: 0 };
    this.#tags.set(name, tag);
    return tag;
  }

  /** Tag ids are local to this file: two nodes may number the same tag differently. */
  #tag(name: string): TagState {
    return this.#tags.get(name) ?? this.#remember(Number(this.#insertTag.run(name).lastInsertRowid), name);
  }
}

function noteNewest(tag: TagState, t: number, v: number, q: number): void {
  if (t <= tag.newestT) return;
  tag.newestT = t;
  tag.newestV = v;
  tag.newestQ = q;
}

/**
 * Between half of BLOCK_SAMPLES_MAX and all of it, varying with tag and start, so tags that start
 * together (10,000 of them in one batch) do not all seal in the same batch later.
 */
function capacityOf(tagId: number, firstT: number): number {
  const half = BLOCK_SAMPLES_MAX / 2;
  const mixed = Math.imul(tagId ^ (firstT % 0x7fffffff), 0x9e3779b1) >>> 0;
  return half + 1 + (mixed % half);
}

function sortByTime(rows: Array<[number, number, number]>): void {
  rows.sort((a, b) => a[0] - b[0]);
}
