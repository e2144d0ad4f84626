/**
 * Ingest: samples per second through driver output -> alarm evaluation -> archive (the real
 * ProjectProcessor and ProjectStore), as a ratio to a raw better-sqlite3 batched insert of the same
 * samples into a row-per-sample table keyed by (tag, t), the plain layout a trend query needs (the
 * archive used it until schema 3; it now packs samples into per-tag blocks), measured in the same run.
 * Target: at least 0.3 of raw. A second peer, an append-only table, is the fastest SQLite can store.
 */
import Database from 'better-sqlite3';
import { performance } from 'node:perf_hooks';
import { join } from 'node:path';
import { parseProject } from '../shared/project/load-project.js';
import type { Sample } from '../shared/protocol/entities.js';
import { ProjectProcessor } from '../electron/engine/project/project-processor.js';
import { ProjectStore } from '../electron/runtime/store/project-store.js';
import { parseSimAddress, simValue } from '../shared/domain/sim-signals.js';
import { removeDir, tempDir } from '../test/support/runtime-process.js';
import { median, writeResults } from './results-file.js';

const TAGS = 10_000;
const ROUNDS = 30;
const PERIOD_MS = 100;

function benchProject() {
  const result = parseProject({
    format: 'tandem-project/1',
    id: 'bench',
    name: 'Ingest benchmark',
    drivers: [{ id: 'Load', type: 'simulator', settings: { periodMs: PERIOD_MS, bulkTags: TAGS, bulkAlarms: true } }],
    tags: [],
  });
  if (!result.ok) throw new Error(result.errors.join('\n'));
  return result.project;
}

function roundSamples(project: ReturnType<typeof benchProject>, t: number): Sample[] {
  return project.tags.map((tag) => {
    const signal = parseSimAddress(tag.address);
    if (typeof signal === 'string') throw new Error(signal);
    return { tag: tag.id, t, v: simValue(signal, t), q: 'good' as const };
  });
}

function throughput(run: (round: number) => void): number {
  const perRound: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const start = performance.now();
    run(round);
    perRound.push(performance.now() - start);
  }
  return TAGS / (median(perRound) / 1000);
}

const project = benchProject();
const t0 = 1_800_000_000_000;
// Consecutive grid points, as the driver delivers them: drifting values, so the archive keeps every one.
const rounds = Array.from({ length: ROUNDS }, (_, round) => roundSamples(project, t0 + round * PERIOD_MS));
const dir = tempDir('tandem-bench-');
try {
  const raw = new Database(join(dir, 'raw.sqlite'));
  raw.pragma('journal_mode = WAL');
  raw.pragma('synchronous = NORMAL');
  raw.exec('CREATE TABLE samples (tag_id INTEGER, t INTEGER, v REAL, q INTEGER, PRIMARY KEY (tag_id, t)) WITHOUT ROWID');
  const insert = raw.prepare('INSERT INTO samples (tag_id, t, v, q) VALUES (?, ?, ?, 0)');
  const tagIds = new Map(project.tags.map((tag, i) => [tag.id, i + 1]));
  const rawInsert = raw.transaction((samples: Sample[]) => {
    for (const s of samples) insert.run(tagIds.get(s.tag), s.t, s.v);
  });
  const rawPerSecond = throughput((round) => rawInsert(rounds[round]!));
  // A second peer: an append-only rowid table, the cheapest layout SQLite has (no per-tag order).
  raw.exec('CREATE TABLE appended (t INTEGER, tag_id INTEGER, v REAL, q INTEGER)');
  const append = raw.prepare('INSERT INTO appended (t, tag_id, v, q) VALUES (?, ?, ?, 0)');
  const rawAppend = raw.transaction((samples: Sample[]) => {
    for (const s of samples) append.run(s.t, tagIds.get(s.tag), s.v);
  });
  const appendOnlyPerSecond = throughput((round) => rawAppend(rounds[round]!));
  raw.close();

  const store = ProjectStore.open(dir, 'bench');
  const processor = new ProjectProcessor({ project, node: 'bench', bootId: 'b1', alarms: [], lastArchived: [], recipes: [], users: [], nowMs: t0 });
  let archived = 0;
  let alarmTransitions = 0;
  const pipelinePerSecond = throughput((round) => {
    const ops = processor.ingest('Load', rounds[round]!);
    for (const op of ops) {
      if (op.kind === 'samples') archived += op.samples.length;
      if (op.kind === 'alarm') alarmTransitions += 1;
    }
    store.append(ops, 0);
  });
  store.close();

  const ratio = pipelinePerSecond / rawPerSecond;
  writeResults('ingest', {
    tags: TAGS,
    rounds: ROUNDS,
    archivedShare: Number((archived / (TAGS * ROUNDS)).toFixed(3)),
    alarmTransitions,
    rawSamplesPerSecond: Math.round(rawPerSecond),
    pipelineSamplesPerSecond: Math.round(pipelinePerSecond),
    ratioToRaw: Number(ratio.toFixed(3)),
    rawAppendOnlySamplesPerSecond: Math.round(appendOnlyPerSecond),
    ratioToAppendOnly: Number((pipelinePerSecond / appendOnlyPerSecond).toFixed(3)),
    target: 0.3,
    met: ratio >= 0.3,
  });
} finally {
  removeDir(dir);
}
