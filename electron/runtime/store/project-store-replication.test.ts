import Database from 'better-sqlite3';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Sample } from '../../../shared/protocol/entities.js';
import { commandOpId, type LoggedOp, type Op } from '../../../shared/protocol/ops.js';
import { projectDatabaseFile } from './open-database.js';
import { ProjectStore } from './project-store.js';

const T0 = 1_700_000_000_000;
let root: string;
const opened: ProjectStore[] = [];

beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-replication-'));
});
afterEach(() => {
  opened.splice(0).forEach((store) => store.close());
  fs.rmSync(root, { recursive: true, force: true });
});

function open(node: string): ProjectStore {
  const store = ProjectStore.open(path.join(root, node), 'p');
  opened.push(store);
  return store;
}

const sample = (step: number): Sample => ({ tag: 'Sim.Counter', t: T0 + step * 100, v: step, q: 'good' });
const samplesOp = (id: string, from: number, to: number): Op => {
  const samples = Array.from({ length: to - from + 1 }, (_, i) => sample(from + i));
  return { id, kind: 'samples', t: samples[0]!.t, driver: 'Sim', through: samples.at(-1)!.t, samples };
};
const commandOp = (requestId: string): Op => ({
  id: commandOpId(requestId),
  kind: 'command',
  t: T0,
  requestId,
  user: 'ann',
  command: { kind: 'ack', alarmIds: ['A'], comment: '' },
});

describe('ProjectStore replication', () => {
  it('a Standby stores the Server ops at their positions and ends with the same state hash', () => {
    const server = open('a');
    const standby = open('b');
    server.setEpoch(2);
    standby.setEpoch(2);
    const logged = server.append([samplesOp('s1', 0, 9), commandOp('r1'), samplesOp('s2', 10, 19)], 2);
    expect(standby.appendReplicated(logged)).toEqual(logged);
    expect(standby.position()).toEqual(server.position());
    expect(standby.stateHash()).toBe(server.stateHash());
    expect(standby.command('r1')?.seq).toBe(2);
    expect(standby.processedThrough()).toEqual(new Map([['Sim', T0 + 1900]]));
    expect(standby.epochStarts()).toEqual([{ epoch: 2, seq: 1 }]);
  });

  it('refuses replicated ops that leave a gap or come from an epoch it has not persisted', () => {
    const server = open('a');
    const standby = open('b');
    server.setEpoch(3);
    const logged = server.append([samplesOp('s1', 0, 1), samplesOp('s2', 2, 3)], 3);
    expect(() => standby.appendReplicated(logged.slice(1))).toThrow(/must follow seq 0/);
    expect(() => standby.appendReplicated(logged)).toThrow(/epoch 3 ahead of the store's epoch 0/);
    expect(standby.position().seq).toBe(0);
  });

  it('truncating a divergent suffix keeps its samples, drops its ops, and converges once the Server log arrives', () => {
    const a = open('a');
    const b = open('b');
    a.setEpoch(2);
    b.setEpoch(2);
    b.appendReplicated(a.append([samplesOp('s1', 0, 9)], 2));
    // Cut off: a logs on alone in epoch 2; b is promoted to epoch 3 and logs its own.
    const aloneOnA = a.append([samplesOp('a2', 10, 14), commandOp('only-on-a')], 2);
    b.setEpoch(3);
    b.append([samplesOp('b2', 10, 19)], 3);
    // a hands its suffix to b (merged as new ops), then drops it and follows b's log.
    b.append(aloneOnA.map(({ epoch: _e, seq: _s, ...op }) => op as Op), 3);
    a.setEpoch(3);
    a.truncateAfter(1);
    expect(a.position().seq).toBe(1);
    expect(a.command('only-on-a')).toBeUndefined();
    expect(a.epochStarts()).toEqual([{ epoch: 2, seq: 1 }]);
    a.appendReplicated(b.opsAfter(1, 100) as LoggedOp[]);
    expect(a.stateHash()).toBe(b.stateHash());
    expect(a.command('only-on-a')?.seq).toBe(b.command('only-on-a')?.seq);
    expect(a.epochStarts()).toEqual([{ epoch: 2, seq: 1 }, { epoch: 3, seq: 2 }]);
    const counter = a.queryArchive({ tag: 'Sim.Counter', from: T0, to: T0 + 1900 });
    expect(counter.samples.map((s) => s.v)).toEqual(Array.from({ length: 20 }, (_, i) => i));
  });

  it('migrates a schema-1 database (archive in rows) to the latest schema and keeps its data', () => {
    const store = open('a');
    store.append([samplesOp('s1', 0, 4)], 0);
    const hash = store.stateHash();
    const file = projectDatabaseFile(path.join(root, 'a'), 'p');
    opened.splice(0).forEach((s) => s.close());
    const db = new Database(file);
    db.exec(`
      DROP TABLE driver_progress; DROP TABLE epoch_starts; DROP TABLE sample_blocks; DROP TABLE recipes; DROP INDEX log_records_by_kind; DROP TABLE users;
      DELETE FROM meta WHERE key = 'archive_open_seq';
      CREATE TABLE samples (tag_id INTEGER NOT NULL, t INTEGER NOT NULL, v REAL NOT NULL, q INTEGER NOT NULL, PRIMARY KEY (tag_id, t)) WITHOUT ROWID;
    `);
    const tagId = db.prepare<[], number>("SELECT id FROM tags WHERE name = 'Sim.Counter'").pluck().get()!;
    for (let i = 0; i <= 4; i++) db.prepare('INSERT INTO samples VALUES (?, ?, ?, 0)').run(tagId, T0 + i * 100, i);
    db.pragma('user_version = 1');
    db.close();
    const migrated = open('a');
    expect(migrated.stateHash()).toBe(hash);
    expect(migrated.epochStarts()).toEqual([{ epoch: 0, seq: 1 }]);
    expect(migrated.queryArchive({ tag: 'Sim.Counter', from: T0, to: T0 + 400 }).samples).toHaveLength(5);
  });
});
