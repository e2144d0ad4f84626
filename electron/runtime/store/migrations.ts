import type { Database } from 'better-sqlite3';

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
];

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
