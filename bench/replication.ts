/**
 * Replication: sustained samples/s from Server to Standby. A project of N bulk tags sampled every
 * 100 ms (N = 10,000 offers 100,000 samples/s) runs on a real pair for a while; every 100 ms the
 * bench reads the Server's replication lag (`replication.lagMs`) and the seq difference of both
 * nodes, and afterwards counts from the Standby's log how many samples it archived in that window.
 *
 * Peers measured in the same run, on the same samples: a raw `ws` link between two local processes
 * carrying equivalent JSON append envelopes (parsed on arrival, acknowledged, 4 frames in flight),
 * and raw better-sqlite3 inserts into a table of the archive's shape (per-tag order), as in
 * ingest.ts, over as many 100 ms rounds as the run archives (the table grows as the archive does),
 * one round per transaction and ten.
 *
 * Target: at least 100,000 samples/s with lag p99 < 250 ms. Flags: --tags 1000,3000,10000 (each in turn),
 * --seconds 30.
 */
import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import WebSocket from 'ws';
import { parseSimAddress, simValue } from '../shared/domain/sim-signals.js';
import { parseProject } from '../shared/project/load-project.js';
import type { Sample } from '../shared/protocol/entities.js';
import { removeDir, tempDir } from '../test/support/runtime-process.js';
import { bulkDriver, eventsInLog, Pair, sleep } from './pair-processes.js';
import { median, percentile, writeResults } from './results-file.js';

const { values: flags } = parseArgs({ options: { tags: { type: 'string', default: '1000,3000,10000' }, seconds: { type: 'string', default: '30' } } });
const TAG_COUNTS = flags.tags.split(',').map(Number);
const SECONDS = Number(flags.seconds);
const PERIOD_MS = 100;
const SAMPLE_EVERY_MS = 100;
const LAG_TARGET_MS = 250;
const RATE_TARGET = 100_000;
const WS_SECONDS = 5;
const WS_IN_FLIGHT = 4;

function benchProject(tags: number) {
  return { format: 'tandem-project/1', id: 'replication', name: `Replication of ${tags} tags`, drivers: [bulkDriver('Load', tags, PERIOD_MS)], tags: [] };
}

/** The simulated signal of every tag of the project. */
function simTags(tags: number) {
  const parsed = parseProject(benchProject(tags));
  if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
  return parsed.project.tags.map((tag) => {
    const signal = parseSimAddress(tag.address);
    if (typeof signal === 'string') throw new Error(signal);
    return { id: tag.id, signal };
  });
}

/** The samples of one 100 ms round, as the simulator produces them. */
function roundSamples(tags: ReturnType<typeof simTags>, t: number): Sample[] {
  return tags.map((tag) => ({ tag: tag.id, t, v: simValue(tag.signal, t), q: 'good' as const }));
}

async function pairRun(tags: number) {
  const pair = await Pair.start({ timing: { heartbeatMs: 200, failureTimeoutMs: 1000 }, project: benchProject(tags) });
  try {
    const startedAt = performance.now();
    let wholeAfterMs: number | null = null;
    try {
      await pair.whole('pc-a', 120_000);
      wholeAfterMs = Math.round(performance.now() - startedAt);
    } catch {
      // Measured anyway: the figures show how far behind it stays.
    }
    const lagMs: number[] = [];
    const seqBehind: number[] = [];
    type Point = { at: number; server: number; standby: number };
    let first: Point | null = null;
    let last: Point | null = null;
    let unanswered = 0;
    const end = performance.now() + SECONDS * 1000;
    while (performance.now() < end) {
      const asked = performance.now();
      const [server, standby] = await Promise.all([pair.status('pc-a', 5_000), pair.status('pc-b', 5_000)]);
      if (server && standby) {
        lagMs.push(server.replication.lagMs);
        seqBehind.push(Math.max(0, server.seq - standby.seq));
        const point: Point = { at: performance.now(), server: server.seq, standby: standby.seq };
        first ??= point;
        last = point;
      } else {
        unanswered += 1;
      }
      await sleep(Math.max(0, SAMPLE_EVERY_MS - (performance.now() - asked)));
    }
    await pair.stopNodes();
    let standbySamplesPerSecond = 0;
    let serverSamplesPerSecond = 0;
    if (first && last && last.at > first.at) {
      const seconds = (last.at - first.at) / 1000;
      const standbyDb = pair.openDatabase('pc-b');
      standbySamplesPerSecond = eventsInLog(standbyDb, first.standby, last.standby).samples / seconds;
      standbyDb.close();
      const serverDb = pair.openDatabase('pc-a');
      serverSamplesPerSecond = eventsInLog(serverDb, first.server, last.server).samples / seconds;
      serverDb.close();
    }
    return {
      wholeAfterMs,
      statusSamples: lagMs.length,
      statusUnanswered: unanswered,
      lagMsP50: Math.round(median(lagMs)),
      lagMsP99: Math.round(percentile(lagMs, 99)),
      seqBehindP50: median(seqBehind),
      seqBehindP99: percentile(seqBehind, 99),
      serverArchivedSamplesPerSecond: Math.round(serverSamplesPerSecond),
      standbyArchivedSamplesPerSecond: Math.round(standbySamplesPerSecond),
    };
  } finally {
    await pair.close();
  }
}

/** Raw `ws` throughput to another local process, in samples/s, with the append envelopes the peer link sends. */
async function rawWsSamplesPerSecond(tags: number): Promise<number> {
  const sink = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./ws-sink-process.ts', import.meta.url))], { stdio: ['ignore', 'pipe', 'inherit'] });
  const killSink = () => sink.kill('SIGTERM');
  process.on('exit', killSink);
  try {
    const port = await new Promise<string>((resolve, reject) => {
      createInterface({ input: sink.stdout! }).once('line', resolve);
      sink.once('exit', (code) => reject(new Error(`the ws sink exited with code ${code}`)));
    });
    const ws = new WebSocket(`ws://127.0.0.1:${port}/`, { perMessageDeflate: false, maxPayload: 64 * 1024 * 1024 });
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
    const t0 = 1_800_000_000_000;
    let seq = 0;
    let acked = 0;
    const signals = simTags(tags);
    const envelope = (n: number) => {
      const t = t0 + n * PERIOD_MS;
      const samples = roundSamples(signals, t);
      const op = { id: `bench/${n}`, kind: 'samples', t, driver: 'Load', through: t, samples, epoch: 1, seq: n };
      return JSON.stringify({ project: 'replication', from: 'pc-a', epoch: 1, message: { type: 'append', prevSeq: n - 1, ops: [op] } });
    };
    // Samples are computed up front: the runtime's simulator produces them anyway, the link only carries them.
    const frames = Array.from({ length: 20 }, (_, i) => envelope(i + 1));
    const started = performance.now();
    const deadline = started + WS_SECONDS * 1000;
    await new Promise<void>((resolve) => {
      const pump = () => {
        while (seq - acked < WS_IN_FLIGHT && performance.now() < deadline) {
          seq += 1;
          ws.send(frames[seq % frames.length]!);
        }
        if (acked === seq && performance.now() >= deadline) resolve();
      };
      ws.on('message', () => {
        acked += 1;
        pump();
      });
      pump();
    });
    const elapsedS = (performance.now() - started) / 1000;
    ws.close();
    return (acked * tags) / elapsedS;
  } finally {
    killSink();
    process.off('exit', killSink);
  }
}

/**
 * Raw better-sqlite3 inserts of the same rounds into the archive's table shape: one transaction per
 * `roundsPerTransaction` rounds. One round per transaction is ingest.ts's approach; a runtime that
 * falls behind commits several rounds at once, so ten per transaction is measured too.
 */
function rawSqliteSamplesPerSecond(tags: number, rounds: number, roundsPerTransaction: number): { first30Rounds: number; whole: number } {
  const dir = tempDir('tandem-bench-sqlite-');
  try {
    const db = new Database(join(dir, 'raw.sqlite'));
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('cache_size = -65536');
    db.exec('CREATE TABLE samples (tag_id INTEGER, t INTEGER, v REAL, q INTEGER, PRIMARY KEY (tag_id, t)) WITHOUT ROWID');
    const insert = db.prepare('INSERT INTO samples (tag_id, t, v, q) VALUES (?, ?, ?, 0)');
    const signals = simTags(tags);
    const tagIds = new Map(signals.map((tag, i) => [tag.id, i + 1]));
    const insertRounds = db.transaction((batches: Sample[][]) => {
      for (const samples of batches) for (const s of samples) insert.run(tagIds.get(s.tag), s.t, s.v);
    });
    const msPerRound: number[] = [];
    let totalMs = 0;
    for (let round = 0; round < rounds; round += roundsPerTransaction) {
      const count = Math.min(roundsPerTransaction, rounds - round);
      const batches = Array.from({ length: count }, (_, i) => roundSamples(signals, 1_800_000_000_000 + (round + i) * PERIOD_MS));
      const start = performance.now();
      insertRounds(batches);
      const ms = performance.now() - start;
      for (let i = 0; i < count; i++) msPerRound.push(ms / count);
      totalMs += ms;
    }
    db.close();
    return { first30Rounds: tags / (median(msPerRound.slice(0, 30)) / 1000), whole: (tags * rounds) / (totalMs / 1000) };
  } finally {
    removeDir(dir);
  }
}

const runs: Record<string, unknown>[] = [];
for (const tags of TAG_COUNTS) {
  const offered = tags * (1000 / PERIOD_MS);
  const pair = await pairRun(tags);
  const rawWs = await rawWsSamplesPerSecond(tags);
  const rawSqlite = rawSqliteSamplesPerSecond(tags, SECONDS * (1000 / PERIOD_MS), 1);
  const rawSqliteBatched = rawSqliteSamplesPerSecond(tags, SECONDS * (1000 / PERIOD_MS), 10);
  const sustained = pair.standbyArchivedSamplesPerSecond;
  runs.push({
    tags,
    seconds: SECONDS,
    offeredSamplesPerSecond: offered,
    ...pair,
    rawWsSamplesPerSecond: Math.round(rawWs),
    rawSqliteSamplesPerSecond: Math.round(rawSqlite.whole),
    rawSqliteSamplesPerSecondFirst30Rounds: Math.round(rawSqlite.first30Rounds),
    rawSqlite10RoundsPerTransactionSamplesPerSecond: Math.round(rawSqliteBatched.whole),
    ratioToOffered: Number((sustained / offered).toFixed(3)),
    ratioToRawWs: Number((sustained / rawWs).toFixed(3)),
    ratioToRawSqlite: Number((sustained / rawSqlite.whole).toFixed(3)),
    ratioToRawSqlite10RoundsPerTransaction: Number((sustained / rawSqliteBatched.whole).toFixed(3)),
    met: sustained >= RATE_TARGET && pair.lagMsP99 < LAG_TARGET_MS,
  });
}
writeResults('replication', { target: { samplesPerSecond: RATE_TARGET, lagMsP99: LAG_TARGET_MS }, runs, met: runs.some((run) => run.met === true) });
