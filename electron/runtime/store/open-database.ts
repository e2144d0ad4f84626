import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { ProjectId } from '../../../shared/project/project-schema.js';
import { SCHEMA_VERSION_LATEST, SMALL_TABLES, TANDEM_APPLICATION_ID, migrate } from './migrations.js';
import { Checkpointer } from './checkpointer.js';
import { StoreOpenError } from './store-error.js';

/** SQLite page cache per open project; the archive's index pages are what it mostly holds. */
const CACHE_KIB = 64 * 1024;
/** The write-ahead log is cut back to this after a checkpoint, so one big batch does not pin its size. */
const WAL_BYTES_MAX = 64 * 1024 * 1024;
/**
 * How long a write waits for the checkpoint worker when both need the same lock at once (rare and
 * short: a PASSIVE checkpoint never waits for the writer, and the writer only for its final step).
 */
const CHECKPOINT_BUSY_WAIT_MS = 2_000;

export function projectDatabaseFile(dataDir: string, projectId: string): string {
  return path.join(dataDir, 'projects', `${projectId}.sqlite`);
}

export interface OpenedDatabase {
  db: Database.Database;
  file: string;
  /** Stops the checkpoints, closes the database and releases the project's lock. */
  close(): void;
}

/**
 * Opens (creating if needed) the database of one project, locked to this process for as long as it is
 * open. An existing file is first inspected through a read-only connection: a file that is damaged,
 * foreign, newer, locked or of another project is refused with a StoreOpenError and never written to.
 */
export function openDatabase(dataDir: string, projectId: string, onError: (message: string) => void = () => {}): OpenedDatabase {
  if (!ProjectId.safeParse(projectId).success) throw new Error(`"${projectId}" is not a valid project id`);
  const file = projectDatabaseFile(dataDir, projectId);
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
  } catch (error) {
    throw StoreOpenError.unavailable(file, error);
  }
  const lock = lockProject(file);
  try {
    if (fs.existsSync(file)) inspect(file, projectId);
    const db = openForWriting(file, projectId);
    const checkpointer = new Checkpointer(file, onError);
    return {
      db,
      file,
      close() {
        checkpointer.stop();
        db.close();
        lock.close();
      },
    };
  } catch (error) {
    lock.close();
    throw error;
  }
}

/**
 * Takes the project's lock: a small SQLite file beside the database, held write-locked by this
 * connection (exclusive locking mode) until it closes. The operating system drops the lock when the
 * process dies, so a crash never leaves a stale lock; a second process, or a second open in this one,
 * gets SQLITE_BUSY and is refused as `inUse`. (The database itself can then use normal locking, which
 * lets the checkpoint worker open it beside the writer.)
 */
function lockProject(file: string): Database.Database {
  let lock: Database.Database | undefined;
  try {
    lock = new Database(`${file}.lock`, { timeout: 0 });
    lock.pragma('locking_mode = EXCLUSIVE');
    lock.exec('BEGIN IMMEDIATE; COMMIT');
    return lock;
  } catch (error) {
    lock?.close();
    throw classify(error, file);
  }
}

function inspect(file: string, projectId: string): void {
  let db: Database.Database | undefined;
  try {
    // Normal locking mode: SQLite cannot read a WAL database read-only in exclusive mode.
    db = new Database(file, { readonly: true, fileMustExist: true, timeout: 0 });
    checkIdentity(db, file, projectId);
  } catch (error) {
    throw classify(error, file);
  } finally {
    db?.close();
  }
}

function checkIdentity(db: Database.Database, file: string, projectId: string): void {
  const tableCount = db.prepare("SELECT count(*) FROM sqlite_schema WHERE type = 'table'").pluck().get() as number;
  const applicationId = db.pragma('application_id', { simple: true }) as number;
  const version = db.pragma('user_version', { simple: true }) as number;
  if (applicationId !== TANDEM_APPLICATION_ID) {
    // A file SQLite creates and then loses before its first commit holds nothing to protect.
    const isEmpty = tableCount === 0 && version === 0 && applicationId === 0;
    if (isEmpty) return;
    throw StoreOpenError.damaged(file);
  }
  if (version > SCHEMA_VERSION_LATEST) throw StoreOpenError.newerSchema(file, version, SCHEMA_VERSION_LATEST);
  // The archive, log and CEL tables are left out: checking them would make starts as slow as the
  // archive is large. Damage there surfaces as an error on the query or append that meets it.
  for (const table of SMALL_TABLES) {
    const result = db.pragma(`quick_check(${table})`, { simple: true });
    if (result !== 'ok') throw StoreOpenError.damaged(file, new Error(`quick_check(${table}): ${String(result)}`));
  }
  const storedProjectId = db.prepare("SELECT value FROM meta WHERE key = 'project_id'").pluck().get();
  if (typeof storedProjectId !== 'string') throw StoreOpenError.damaged(file, new Error('meta has no project_id'));
  if (storedProjectId !== projectId) throw StoreOpenError.otherProject(file, storedProjectId, projectId);
  checkPosition(db, file);
}

/** The store trusts these once open, so a file whose position or digest is unreadable is refused here. */
function checkPosition(db: Database.Database, file: string): void {
  const meta = new Map(db.prepare<[], [string, string]>('SELECT key, value FROM meta').raw().all());
  const valid = {
    epoch: /^\d{1,15}$/.test(meta.get('epoch') ?? ''),
    seq: /^\d{1,15}$/.test(meta.get('seq') ?? ''),
    digest: /^[0-9a-f]{16}$/.test(meta.get('digest') ?? ''),
  };
  const invalid = Object.entries(valid).filter(([, ok]) => !ok);
  if (invalid.length > 0) {
    throw StoreOpenError.damaged(file, new Error(`meta has no valid ${invalid.map(([key]) => key).join(', ')}`));
  }
}

function openForWriting(file: string, projectId: string): Database.Database {
  let db: Database.Database | undefined;
  try {
    db = new Database(file, { timeout: CHECKPOINT_BUSY_WAIT_MS });
    const journalMode = db.pragma('journal_mode = WAL', { simple: true });
    if (journalMode !== 'wal') throw new Error(`SQLite refused WAL mode (journal_mode is ${String(journalMode)})`);
    db.pragma('synchronous = NORMAL');
    db.pragma(`cache_size = -${CACHE_KIB}`);
    db.pragma(`journal_size_limit = ${WAL_BYTES_MAX}`);
    // The checkpoint worker does them (checkpointer.ts); a close still checkpoints.
    db.pragma('wal_autocheckpoint = 0');
    migrate(db, projectId);
    return db;
  } catch (error) {
    db?.close();
    throw classify(error, file);
  }
}

function classify(error: unknown, file: string): StoreOpenError {
  if (error instanceof StoreOpenError) return error;
  const code = error instanceof Database.SqliteError ? error.code : '';
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) return StoreOpenError.inUse(file, error);
  if (code === 'SQLITE_NOTADB' || code.startsWith('SQLITE_CORRUPT')) return StoreOpenError.damaged(file, error);
  return StoreOpenError.unavailable(file, error);
}
