/**
 * Client switch: time from SIGKILL of the Server to a protocol client that behaves like a station
 * (station-client.ts: on loss it connects to the other node of `status.nodes` and subscribes with
 * `resume`) receiving a `values` frame from the new Server. Over many kills of real processes on
 * loopback; after each, the killed node restarts, takes its role back (automatic failback) and the
 * client follows it there before the next kill. The limit is the configured failureTimeoutMs (the
 * Standby cannot serve sooner); target p99 < timeout + 1 s.
 *
 * Flags: --kills N (30).
 */
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { DEFAULT_TIMING, demoProjectDocument, Pair, sleep } from './pair-processes.js';
import { median, percentile, writeResults } from './results-file.js';
import { StationClient } from './station-client.js';

const { values: flags } = parseArgs({ options: { kills: { type: 'string', default: '30' } } });
const KILLS = Number(flags.kills);
const TIMING = DEFAULT_TIMING;
const SWITCH_WAIT_MAX_MS = 30_000;
const SETTLE_MS = 500;

interface Phases {
  lostMs: number;
  connectedMs: number;
  snapshotMs: number;
  valuesMs: number;
  resumed: boolean;
}

/** Resolves with the first `values` frame the client gets from `node` after `sinceMs`. */
class Watch {
  private waiting: { node: string; sinceMs: number; resolve: (atMs: number) => void } | null = null;
  readonly marks = { lostAt: 0, connectedAt: 0, snapshotAt: 0, resumed: false };

  valuesFrom(node: string, sinceMs: number): Promise<number> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no values frame from ${node} within ${SWITCH_WAIT_MAX_MS} ms`)), SWITCH_WAIT_MAX_MS);
      this.waiting = {
        node,
        sinceMs,
        resolve: (atMs) => {
          clearTimeout(timer);
          resolve(atMs);
        },
      };
    });
  }

  values(node: string, atMs: number): void {
    if (this.waiting && this.waiting.node === node && atMs > this.waiting.sinceMs) {
      const { resolve } = this.waiting;
      this.waiting = null;
      resolve(atMs);
    }
  }
}

const pair = await Pair.start({ timing: TIMING, project: demoProjectDocument() });
const watch = new Watch();
const phases: Phases[] = [];
let client: StationClient | null = null;
try {
  await pair.whole('pc-a');
  client = new StationClient(pair.urls, 'pc-a', 'demo', {
    lost: (_node, atMs) => (watch.marks.lostAt ||= atMs),
    connected: (_node, atMs) => (watch.marks.connectedAt = atMs),
    snapshot: (_node, atMs, resumed) => {
      watch.marks.snapshotAt = atMs;
      watch.marks.resumed = resumed;
    },
    values: (node, atMs) => watch.values(node, atMs),
  });
  await watch.valuesFrom('pc-a', 0);
  for (let kill = 0; kill < KILLS; kill++) {
    await sleep(SETTLE_MS);
    await watch.valuesFrom('pc-a', performance.now());
    watch.marks.lostAt = 0;
    const { killedAt, exited } = pair.killNow('pc-a');
    const valuesAt = await watch.valuesFrom('pc-b', killedAt);
    const { lostAt, connectedAt, snapshotAt, resumed } = watch.marks;
    phases.push({ lostMs: lostAt - killedAt, connectedMs: connectedAt - killedAt, snapshotMs: snapshotAt - killedAt, valuesMs: valuesAt - killedAt, resumed });
    await exited;
    await pair.startNode('pc-a');
    await pair.whole('pc-a');
    // The client follows the Server back to pc-a (pc-b's status says pc-a serves).
    await watch.valuesFrom('pc-a', performance.now());
  }
} finally {
  client?.stop();
  await pair.close();
}

const valuesMs = phases.map((p) => p.valuesMs);
const p50 = median(valuesMs);
const p99 = percentile(valuesMs, 99);
const round = (values: number[], p: number) => Math.round(percentile(values, p));
writeResults('client-switch', {
  timing: TIMING,
  kills: phases.length,
  valuesMsP50: Math.round(p50),
  valuesMsP99: Math.round(p99),
  valuesMsMax: Math.round(Math.max(...valuesMs)),
  phasesMsP50: {
    socketLost: round(phases.map((p) => p.lostMs), 50),
    connectedToOther: round(phases.map((p) => p.connectedMs), 50),
    snapshot: round(phases.map((p) => p.snapshotMs), 50),
    values: Math.round(p50),
  },
  resumedSnapshots: phases.filter((p) => p.resumed).length,
  p50RatioToFailureTimeout: Number((p50 / TIMING.failureTimeoutMs).toFixed(3)),
  p99RatioToFailureTimeout: Number((p99 / TIMING.failureTimeoutMs).toFixed(3)),
  targetP99Ms: TIMING.failureTimeoutMs + 1000,
  met: p99 < TIMING.failureTimeoutMs + 1000,
});
