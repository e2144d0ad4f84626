import type { Database } from 'better-sqlite3';
import { BLOCK_SAMPLES_MAX, BLOCK_SPAN_MAX_MS } from './sample-archive.js';
import { blockStats, encodeBlock } from './sample-block.js';

/** Marks a SQLite file as Tandem's ("Tand"), so another program's database is never mistaken for one. */
export const TANDEM_APPLICATION_ID = 0x54616e64;

interface Migration {
  /** The schema version (`PRAGMA user_version`) the database has once this migration is applied. */
  readonly version: number;
  apply(db: Database, projectId: string): void;
}

/**
 * Schema v1. One sequence space per project: `log.seq` positions every op, and the views keep the seq
 * of the op that produced a row (`cel.seq`, `commands.seq`) so pages and lookups resume from it.
 * `samples` is keyed by slot (tag, t): the first value recorded for a slot is the one kept.
 */
const SCHEMA_V1 = `
  CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
  CREATE TABLE log (
    seq INTEGER PRIMARY KEY,
    epoch INTEGER NOT NULL,
    id TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    t INTEGER NOT NULL,
    body TEXT NOT NULL
  );
  CREATE TABLE tags (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
  CREATE TABLE samples (
    tag_id INTEGER NOT NULL,
    t INTEGER NOT NULL,
    v REAL NOT NULL,
    q INTEGER NOT NULL,
    PRIMARY KEY (tag_id, t)
  ) WITHOUT ROWID;
  CREATE TABLE alarms (alarm_id TEXT PRIMARY KEY, status TEXT NOT NULL) WITHOUT ROWID;
  CREATE TABLE cel (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    t INTEGER NOT NULL,
    node TEXT NOT NULL,
    kind TEXT NOT NULL,
    user TEXT,
    text TEXT NOT NULL,
    alarm_id TEXT,
    tag TEXT,
    state TEXT
  );
  CREATE INDEX cel_by_t ON cel (t);
  CREATE INDEX cel_by_kind ON cel (kind, seq);
  CREATE TABLE commands (request_id TEXT PRIMARY KEY, seq INTEGER NOT NULL) WITHOUT ROWID;
`;

const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    apply(db, projectId) {
      db.exec(SCHEMA_V1);
      const setMeta = db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)');
      setMeta.run('project_id', projectId);
      setMeta.run('epoch', '0');
      setMeta.run('seq', '0');
      setMeta.run('digest', '0000000000000000');
      db.pragma(`application_id = ${TANDEM_APPLICATION_ID}`);
    },
  },
  {
    // v2, redundancy: how far each driver's timeline is processed (a Standby that takes over replays
    // its own buffer after that), and where each epoch starts in the log (where two logs part).
    version: 2,
    apply(db) {
      db.exec(`
        CREATE TABLE driver_progress (driver TEXT PRIMARY KEY, through INTEGER NOT NULL) WITHOUT ROWID;
        CREATE TABLE epoch_starts (epoch INTEGER PRIMARY KEY, seq INTEGER NOT NULL);
        INSERT INTO epoch_starts (epoch, seq) SELECT epoch, min(seq) FROM log GROUP BY epoch;
      `);
    },
  },
  {
    // v3, archive in blocks: one row per tag per up to 256 samples instead of one row per sample, so
    // archiving 10,000 tags per batch no longer writes 10,000 B-tree leaves (sample-archive.ts).
    version: 3,
    apply(db) {
      db.exec(`
        CREATE TABLE sample_blocks (
          tag_id INTEGER NOT NULL,
          t_first INTEGER NOT NULL,
          t_last INTEGER NOT NULL,
          n INTEGER NOT NULL,
          good_n INTEGER NOT NULL,
          v_min REAL,
          v_max REAL,
          v_sum REAL,
          data BLOB NOT NULL,
          PRIMARY KEY (tag_id, t_first)
        );
      `);
      moveSamplesIntoBlocks(db);
      db.exec('DROP TABLE samples');
      const seq = Number(db.prepare<[], string>("SELECT value FROM meta WHERE key = 'seq'").pluck().get());
      db.prepare("INSERT INTO meta (key, value) VALUES ('archive_open_seq', ?)").run(String(seq + 1));
    },
  },
  {
    // Recipe versions saved by operators (the project file's values are version 0).
    version: 4,
    apply(db) {
      db.exec('CREATE TABLE recipes (recipe_id TEXT PRIMARY KEY, version TEXT NOT NULL) WITHOUT ROWID');
    },
  },
  {
    // Records looked up by kind (role changes for the switchover history, role settings) without
    // scanning the samples ops; partial, so the samples ops (most of the log) cost nothing extra.
    version: 5,
    apply(db) {
      db.exec("CREATE INDEX log_records_by_kind ON log (kind, seq) WHERE kind <> 'samples'");
    },
  },
  {
    // Users of the project (auth/DESIGN.md): the current version of each, as JSON with its password hash.
    version: 6,
    apply(db) {
      db.exec('CREATE TABLE users (name TEXT PRIMARY KEY, record TEXT NOT NULL) WITHOUT ROWID');
    },
  },
];

/** The v2 archive's rows, per tag and oldest first, in blocks within the archive's count and span limits. */
function moveSamplesIntoBlocks(db: Database): void {
  const insert = db.prepare(
    'INSERT INTO sample_blocks (tag_id, t_first, t_last, n, good_n, v_min, v_max, v_sum, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const write = (tagId: number, block: { t: number[]; v: number[]; q: number[] }) => {
    const n = block.t.length;
    const stats = blockStats(block, n);
    insert.run(tagId, block.t[0], block.t[n - 1], n, stats.goodCount, stats.min, stats.max, stats.sum, encodeBlock(block, n));
  };
  // One tag at a time with all(): better-sqlite3 refuses writes while a query is being iterated.
  const tagIds = db.prepare<[], number>('SELECT DISTINCT tag_id FROM samples').pluck().all();
  const rowsOf = db.prepare<[number], [number, number, number]>('SELECT t, v, q FROM samples WHERE tag_id = ? ORDER BY t').raw();
  for (const tagId of tagIds) {
    let block = { t: [] as number[], v: [] as number[], q: [] as number[] };
    for (const [t, v, q] of rowsOf.all(tagId)) {
      if (block.t.length >= BLOCK_SAMPLES_MAX || (block.t.length > 0 && t - block.t[0]! > BLOCK_SPAN_MAX_MS)) {
        write(tagId, block);
        block = { t: [], v: [], q: [] };
      }
      block.t.push(t);
      block.v.push(v);
      block.q.push(q);
    }
    if (block.t.length > 0) write(tagId, block);
  }
}

export const SCHEMA_VERSION_LATEST = MIGRATIONS.at(-1)!.version;

/** The tables a Tandem database of any known version has; small enough to verify on every open. */
export const SMALL_TABLES = ['meta', 'tags', 'alarms', 'commands'] as const;

/**
 * Brings the database to the latest schema, one transaction per migration, so a crash mid-way leaves
 * a database at some whole version that the next start continues from.
 */
export function migrate(db: Database, projectId: string): void {
  for (const migration of MIGRATIONS) {
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version >= migration.version) continue;
    db.transaction(() => {
      migration.apply(db, projectId);
      db.pragma(`user_version = ${migration.version}`);
    }).immediate();
  }
}
