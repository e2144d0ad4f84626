import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Op } from '../../../shared/protocol/ops.js';
import { SCHEMA_VERSION_LATEST } from './migrations.js';
import { projectDatabaseFile } from './open-database.js';
import { ProjectStore } from './project-store.js';
import { StoreOpenError, type StoreOpenReason } from './store-error.js';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const projectStoreModule = new URL('./project-store.ts', import.meta.url).href;
const CHILD_TIMEOUT_MS = 30_000;

let dataDir: string;
beforeEach(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-store-'));
});
afterEach(() => {
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const celOp: Op = {
  id: 'cel/1',
  kind: 'cel',
  t: 1_700_000_000_000,
  cel: {
    id: 'cel/1',
    t: 1_700_000_000_000,
    node: 'node-a',
    kind: 'system',
    user: null,
    text: 'started',
    alarmId: null,
    tag: null,
    state: null,
  },
};

/** Creates a project database holding one op, closed cleanly, and returns its path. */
function createProject(projectId: string): string {
  const store = ProjectStore.open(dataDir, projectId);
  store.append([celOp], 0);
  store.close();
  return projectDatabaseFile(dataDir, projectId);
}

function openError(projectId: string): StoreOpenError {
  try {
    ProjectStore.open(dataDir, projectId).close();
  } catch (error) {
    if (error instanceof StoreOpenError) return error;
    throw error;
  }
  throw new Error(`project ${projectId} opened, but it should have been refused`);
}

/** Opens the project in another Node process, as a second Tandem on the same --data folder would. */
function openInChild(projectId: string): { opened: true } | { reason: StoreOpenReason; message: string } {
  const script = `
    import { ProjectStore } from ${JSON.stringify(projectStoreModule)};
    try {
      ProjectStore.open(${JSON.stringify(dataDir)}, ${JSON.stringify(projectId)}).close();
      console.log(JSON.stringify({ opened: true }));
    } catch (error) {
      console.log(JSON.stringify({ reason: error.reason, message: error.message }));
    }`;
  const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    cwd: repoRoot,
    encoding: 'utf8',
    timeout: CHILD_TIMEOUT_MS,
  });
  if (child.status !== 0) throw new Error(`child failed (${child.status}): ${child.stderr}`);
  return JSON.parse(child.stdout) as { opened: true } | { reason: StoreOpenReason; message: string };
}

/** Byte for byte: SQLite may add its empty side files (-wal, -shm) next to a file it reads, nothing more. */
function expectUnchanged(file: string, before: Buffer): void {
  expect(fs.readFileSync(file).equals(before)).toBe(true);
}

describe('opening a project database', () => {
  it('creates <data>/projects/<id>.sqlite and finds its data again', () => {
    const file = createProject('boiler-house');
    expect(file).toBe(path.join(dataDir, 'projects', 'boiler-house.sqlite'));
    const store = ProjectStore.open(dataDir, 'boiler-house');
    expect(store.opsAfter(0, 10).map((op) => op.id)).toEqual(['cel/1']);
    store.close();
  });

  it('takes an empty file (created, never written) as a new database', () => {
    const file = projectDatabaseFile(dataDir, 'p');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, '');
    const store = ProjectStore.open(dataDir, 'p');
    expect(store.position()).toEqual({ epoch: 0, seq: 0 });
    store.close();
  });

  it('refuses a file of garbage bytes and leaves it as it was', () => {
    const file = projectDatabaseFile(dataDir, 'p');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, Buffer.from(Array.from({ length: 8192 }, (_, i) => (i * 131 + 7) % 256)));
    const before = fs.readFileSync(file);
    const error = openError('p');
    expect(error.reason).toBe('damaged');
    expect(error.message).toBe(
      `${file} is not a Tandem database or is damaged; it was left untouched. Move it away or restore a backup.`,
    );
    expectUnchanged(file, before);
  });

  it('refuses a database whose tables are damaged and leaves it as it was', () => {
    const file = createProject('p');
    const raw = new Database(file, { readonly: true });
    const metaPage = raw.prepare("SELECT rootpage FROM sqlite_schema WHERE name = 'meta'").pluck().get() as number;
    const pageBytes = raw.pragma('page_size', { simple: true }) as number;
    raw.close();
    const bytes = fs.readFileSync(file);
    bytes.fill(0xa5, (metaPage - 1) * pageBytes, metaPage * pageBytes);
    fs.writeFileSync(file, bytes);
    const before = fs.readFileSync(file);
    expect(openError('p').reason).toBe('damaged');
    expectUnchanged(file, before);
  });

  it('refuses a file cut short, as by an interrupted copy, and leaves it as it was', () => {
    const file = projectDatabaseFile(dataDir, 'p');
    const store = ProjectStore.open(dataDir, 'p');
    const samples = Array.from({ length: 20_000 }, (_, i) => ({ tag: `T${i % 20}`, t: i, v: i, q: 'good' as const }));
    store.append([{ id: 's/1', kind: 'samples', t: 0, driver: 'Sim', through: 19_999, samples }], 0);
    store.close();
    fs.truncateSync(file, Math.floor(fs.statSync(file).size / 2));
    const before = fs.readFileSync(file);
    expect(openError('p').reason).toBe('damaged');
    expectUnchanged(file, before);
  });

  it('refuses the database of another program', () => {
    const file = projectDatabaseFile(dataDir, 'p');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const foreign = new Database(file);
    foreign.exec('CREATE TABLE invoices (id INTEGER PRIMARY KEY, amount REAL)');
    foreign.close();
    const before = fs.readFileSync(file);
    expect(openError('p').reason).toBe('damaged');
    expectUnchanged(file, before);
  });

  it('refuses a database of a newer schema, says which, and leaves it as it was', () => {
    const file = createProject('p');
    const newer = new Database(file);
    newer.pragma(`user_version = ${SCHEMA_VERSION_LATEST + 98}`);
    newer.close();
    const before = fs.readFileSync(file);
    const error = openError('p');
    expect(error.reason).toBe('newerSchema');
    expect(error.message).toBe(
      `${file} was written by a newer Tandem (schema ${SCHEMA_VERSION_LATEST + 98}, this version knows up to ` +
        `${SCHEMA_VERSION_LATEST}); use that version or another --data folder`,
    );
    expectUnchanged(file, before);
  });

  it('refuses the file of another project and names that project', () => {
    const file = createProject('alpha');
    const renamed = projectDatabaseFile(dataDir, 'beta');
    fs.renameSync(file, renamed);
    const before = fs.readFileSync(renamed);
    const error = openError('beta');
    expect(error.reason).toBe('otherProject');
    expect(error.message).toContain('holds project "alpha", not "beta"');
    expectUnchanged(renamed, before);
  });

  it('refuses a second process on the same data folder until the first closes', () => {
    createProject('p');
    const store = ProjectStore.open(dataDir, 'p');
    const refused = openInChild('p');
    expect(refused).toEqual({
      reason: 'inUse',
      message: `${projectDatabaseFile(dataDir, 'p')} is in use by another Tandem process (same --data folder?)`,
    });
    store.close();
    expect(openInChild('p')).toEqual({ opened: true });
  });

  it('refuses a second open in the same process too', () => {
    const store = ProjectStore.open(dataDir, 'p');
    expect(openError('p').reason).toBe('inUse');
    store.close();
  });

  it('reports a data folder it cannot create, naming the file', () => {
    const notAFolder = path.join(dataDir, 'plain-file');
    fs.writeFileSync(notAFolder, 'x');
    let error: unknown;
    try {
      ProjectStore.open(notAFolder, 'p');
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(StoreOpenError);
    expect((error as StoreOpenError).reason).toBe('unavailable');
    expect((error as StoreOpenError).message).toContain(path.join(notAFolder, 'projects', 'p.sqlite'));
  });
});
