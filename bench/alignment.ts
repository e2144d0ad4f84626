/**
 * Alignment: a Standby that was offline catches up with a Server at full load (demo project plus
 * 10,000 bulk tags every 100 ms). The Standby is SIGKILLed, stays down for --offline-s seconds
 * (default 60; the 5 minutes of the requirement are --offline-s 300), is restarted, and the bench polls both nodes every 100 ms
 * until it reports `role: standby` with a seq at least the Server's. An event is an archived sample
 * or a CEL entry; the events caught up are counted afterwards from the Standby's log (the ops after
 * the seq it had when killed, up to the seq it had when caught up). Target: >= 100,000 events/s.
 *
 * Two reference runs follow the full-load one, at a tenth of the load: offline as long, and offline
 * 10 s (a backlog that fits one peer-link frame), so the result shows where alignment works.
 *
 * Flags: --offline-s S (60), --tags N (10000), --catch-up-max-s S (180), --only-full-load.
 */
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { bulkDriver, DEFAULT_TIMING, demoProjectDocument, eventsInLog, Pair, sleep } from './pair-processes.js';
import { writeResults } from './results-file.js';

const { values: flags } = parseArgs({
  options: {
    'offline-s': { type: 'string', default: '60' },
    tags: { type: 'string', default: '10000' },
    'catch-up-max-s': { type: 'string', default: '180' },
    'only-full-load': { type: 'boolean', default: false },
  },
});
const OFFLINE_S = Number(flags['offline-s']);
const TAGS = Number(flags.tags);
const REFERENCE_TAGS = 1_000;
const REFERENCE_OFFLINE_S = 10;
const CATCH_UP_MAX_MS = Number(flags['catch-up-max-s']) * 1000;
const TARGET_EVENTS_PER_SECOND = 100_000;

let failed = false;

async function alignmentRun(tags: number, offlineS: number): Promise<Record<string, unknown>> {
  const project = demoProjectDocument();
  (project.drivers as unknown[]).push(bulkDriver('Load', tags));
  const pair = await Pair.start({ timing: DEFAULT_TIMING, project });
  let figures: Record<string, unknown> = {};
  try {
    const startedAt = performance.now();
    await pair.whole('pc-a', 180_000);
    const wholeAfterMs = Math.round(performance.now() - startedAt);
    const before = await pair.status('pc-b', 10_000);
    if (!before) throw new Error('pc-b did not answer before the kill');
    await pair.kill('pc-b');
    const serverBefore = (await pair.status('pc-a', 10_000))?.seq ?? null;
    await sleep(offlineS * 1000);
    const serverAtRestart = (await pair.status('pc-a', 10_000))?.seq ?? null;

    const restartAt = performance.now();
    await pair.startNode('pc-b');
    const listeningAt = performance.now();
    let caughtUp: { at: number; seq: number } | null = null;
    let lastSeen = '';
    let progressAtHalf: number | null = null;
    let bothServed = false;
    while (performance.now() - restartAt < CATCH_UP_MAX_MS) {
      const server = await pair.status('pc-a', 5_000);
      const standby = await pair.status('pc-b', 5_000);
      if (server && standby) {
        lastSeen = `pc-b ${standby.role} seq ${standby.seq} (progress ${standby.alignmentProgress.toFixed(2)}), pc-a ${server.role} seq ${server.seq}`;
        bothServed ||= server.role === 'server' && standby.role === 'server';
        if (progressAtHalf === null && standby.alignmentProgress >= 0.5) progressAtHalf = Math.round(performance.now() - restartAt);
        if (standby.role === 'standby' && standby.seq >= server.seq) {
          caughtUp = { at: performance.now(), seq: standby.seq };
          break;
        }
      }
      await sleep(100);
    }
    const problems = caughtUp ? [] : [...pair.problems('pc-a').map((line) => `pc-a: ${line}`), ...pair.problems('pc-b').map((line) => `pc-b: ${line}`)];
    await pair.stopNodes();
    const db = pair.openDatabase('pc-b');
    const events = caughtUp ? eventsInLog(db, before.seq, caughtUp.seq) : { ops: 0, samples: 0, celEntries: 0 };
    db.close();
    const fromRestartS = caughtUp ? (caughtUp.at - restartAt) / 1000 : null;
    const fromListeningS = caughtUp ? (caughtUp.at - listeningAt) / 1000 : null;
    const eventsPerSecond = fromRestartS ? (events.samples + events.celEntries) / fromRestartS : 0;
    figures = {
      tags: tags,
      offeredSamplesPerSecond: (tags + 8) * 10,
      offlineSeconds: offlineS,
      wholeAfterMs,
      standbySeqAtKill: before.seq,
      serverSeqAtKill: serverBefore,
      serverSeqAtRestart: serverAtRestart,
      caughtUp: caughtUp !== null,
      lastSeen: caughtUp ? undefined : lastSeen,
      problems: caughtUp ? undefined : problems,
      // Both nodes reported `role: server` at the same time after the restart (two Servers).
      bothServedAfterRestart: bothServed,
      catchUpMsFromRestart: fromRestartS === null ? null : Math.round(fromRestartS * 1000),
      catchUpMsFromListening: fromListeningS === null ? null : Math.round(fromListeningS * 1000),
      progressHalfMsFromRestart: progressAtHalf,
      opsCaughtUp: events.ops,
      samplesCaughtUp: events.samples,
      celEntriesCaughtUp: events.celEntries,
      opsPerSecond: fromRestartS ? Math.round(events.ops / fromRestartS) : 0,
      samplesPerSecond: fromRestartS ? Math.round(events.samples / fromRestartS) : 0,
      eventsPerSecond: Math.round(eventsPerSecond),
      eventsPerSecondFromListening: fromListeningS ? Math.round((events.samples + events.celEntries) / fromListeningS) : 0,
      ratioToTarget: Number((eventsPerSecond / TARGET_EVENTS_PER_SECOND).toFixed(3)),
      target: TARGET_EVENTS_PER_SECOND,
      met: eventsPerSecond >= TARGET_EVENTS_PER_SECOND,
    };
  } catch (error) {
    // Still a result: on this machine, at this load, the pair could not be measured (the message says why).
    figures = { tags, offlineSeconds: offlineS, problem: (error as Error).message, met: false };
    failed = true;
  } finally {
    await pair.close();
  }
  return figures;
}

const fullLoad = await alignmentRun(TAGS, OFFLINE_S);
const reference = flags['only-full-load'] ? [] : [await alignmentRun(REFERENCE_TAGS, OFFLINE_S), await alignmentRun(REFERENCE_TAGS, REFERENCE_OFFLINE_S)];
writeResults('alignment', { target: TARGET_EVENTS_PER_SECOND, fullLoad, reference, met: fullLoad.met === true });
if (failed) process.exitCode = 1;
