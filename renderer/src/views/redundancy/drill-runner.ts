import type { ProjectStatus, SwitchoversResponse } from '../../../../shared/protocol/api.js';
import { factsDiffer, type DrillLeg, type DrillReport } from './drill-report.js';

/** Every wait of the drill gives up after this: a leg that does not finish is reported, never awaited for ever. */
export const DRILL_WAIT_MS = 30_000;
/** How often the drill reads the nodes while it waits for them. */
export const DRILL_POLL_MS = 200;

export type SwitchoverEntry = SwitchoversResponse['switchovers'][number];

/** What the drill needs of the world; injected so it runs against fakes in tests. */
export interface DrillPorts {
  now(): number;
  sleep(ms: number): Promise<void>;
  /** Sends the switchover command to `to` (a fresh request id each call); throws with the refusal. */
  switchover(to: string): Promise<void>;
  /** Resolves with the station time at which `node` serves this station, or null after `timeoutMs`. */
  servedAt(node: string, timeoutMs: number): Promise<number | null>;
  /** The latest status of each node that answers. */
  statuses(): Promise<ReadonlyMap<string, ProjectStatus>>;
  /** The switchover history from the Server's log, newest first. */
  switchovers(): Promise<readonly SwitchoverEntry[]>;
  progress(text: string): void;
}

export interface DrillPlan {
  project: string;
  user: string;
  server: string;
  standby: string;
}

/** Calls `probe` until it gives a value or `DRILL_WAIT_MS` has passed (then null). */
async function until<T>(ports: DrillPorts, probe: () => Promise<T | null>): Promise<T | null> {
  const deadline = ports.now() + DRILL_WAIT_MS;
  for (;;) {
    const value = await probe().catch(() => null);
    if (value !== null) return value;
    if (ports.now() >= deadline) return null;
    await ports.sleep(DRILL_POLL_MS);
  }
}

const seconds = `${DRILL_WAIT_MS / 1000} s`;

/** Both nodes hold the same events: "verified", or what still differed when the wait ran out. */
async function verifyBothSides(ports: DrillPorts, a: string, b: string): Promise<{ verified: boolean; check: string }> {
  let last = `no status from ${a} and ${b}`;
  const equal = await until(ports, async () => {
    const statuses = await ports.statuses();
    const [sa, sb] = [statuses.get(a), statuses.get(b)];
    if (!sa || !sb) {
      last = `no status from ${!sa ? a : b}`;
      return null;
    }
    const differs = factsDiffer({ node: a, ...sa }, { node: b, ...sb });
    if (differs !== null) last = differs;
    return differs === null ? true : null;
  });
  return equal ? { verified: true, check: 'verified' } : { verified: false, check: `not verified within ${seconds}: ${last}` };
}

/** `node` is a Standby that can take the role again: heard by the Server, not degraded. */
async function standbyReady(ports: DrillPorts, server: string, node: string): Promise<boolean> {
  const ready = await until(ports, async () => {
    const status = (await ports.statuses()).get(server);
    return status?.role === 'server' && status.peer?.node === node && status.peer.role === 'standby' && !status.degraded ? true : null;
  });
  return ready === true;
}

async function runLeg(ports: DrillPorts, from: string, to: string): Promise<{ leg: DrillLeg; stop: string | null }> {
  const before = (await ports.switchovers().catch(() => []))[0]?.seq ?? -1;
  const commandAtMs = ports.now();
  const leg: DrillLeg = { from, to, commandAtMs, servedAfterMs: null, epoch: null, gapMs: null, verified: false, check: 'not run' };
  ports.progress(`Switching over from ${from} to ${to}…`);
  try {
    await ports.switchover(to);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { leg: { ...leg, check: 'not run: the command was refused' }, stop: `the switchover to ${to} was refused: ${reason}` };
  }
  const servedAt = await ports.servedAt(to, DRILL_WAIT_MS);
  if (servedAt === null) return { leg: { ...leg, check: 'not checked' }, stop: `${to} did not serve this station within ${seconds}` };
  leg.servedAfterMs = servedAt - commandAtMs;
  ports.progress(`${to} serves; reading the switchover from its log…`);
  const entry = await until(ports, async () => (await ports.switchovers()).find((s) => s.node === to && s.seq > before) ?? null);
  leg.epoch = entry?.epoch ?? null;
  leg.gapMs = entry?.gapMs ?? null;
  ports.progress(`Comparing the events on ${from} and ${to}…`);
  const verification = await verifyBothSides(ports, from, to);
  return { leg: { ...leg, ...verification }, stop: entry === null ? `${to} logged no switchover within ${seconds}` : null };
}

/** Switches over to the Standby and back, waiting for each role change, and reports every leg. */
export async function runFailoverDrill(ports: DrillPorts, plan: DrillPlan): Promise<DrillReport> {
  const startedAtMs = ports.now();
  const legs: DrillLeg[] = [];
  let stoppedBecause: string | null = null;
  for (const [from, to] of [
    [plan.server, plan.standby],
    [plan.standby, plan.server],
  ] as const) {
    if (legs.length > 0) {
      ports.progress(`Waiting for ${to} to be a ready Standby…`);
      if (!(await standbyReady(ports, from, to))) {
        stoppedBecause = `${to} was not a ready Standby of ${from} within ${seconds}`;
        break;
      }
    }
    const { leg, stop } = await runLeg(ports, from, to);
    legs.push(leg);
    stoppedBecause = stop;
    if (stop !== null) break;
  }
  return { project: plan.project, user: plan.user, startedAtMs, finishedAtMs: ports.now(), legs, stoppedBecause };
}
