import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadOrCreateNodeCertificate } from '../../electron/runtime/tls/node-certificate.js';
import type { ArchiveResponse, CommandResponse, ProjectStatus, StatusResponse } from '../../shared/protocol/api.js';
import { FAST_PROJECT } from '../support/fixtures.js';
import { freePorts, getJson, postJson, removeDir, startRuntimeProcess, tempDir, userToken, waitFor, type RuntimeProcess } from '../support/runtime-process.js';
import { Prng } from '../sim/prng.js';

export type ChaosFault = 'killServer' | 'freezeServer' | 'killStandby';

export interface ChaosOptions {
  seed: number;
  rounds: number;
  /** Faults to apply in this order (cycling); without it, a seeded random choice each round. */
  faults?: ChaosFault[];
  log?: (line: string) => void;
}

export interface ChaosResult {
  violations: string[];
  rounds: Array<{ fault: ChaosFault; node: string; recoveredMs: number }>;
  confirmedCommands: number;
  slotsChecked: number;
}

const NODES = ['pc-a', 'pc-b'] as const;
type NodeName = (typeof NODES)[number];

/**
 * Real processes under faults: a Server/Standby pair on loopback with the fast test project, the
 * Server killed (SIGKILL) or frozen (SIGSTOP, then SIGCONT) and the Standby killed, round after round,
 * with operators acknowledging alarms meanwhile. After the last round the pair must converge: one
 * Server, equal state hashes, every confirmed command kept, every 100 ms counter slot archived once.
 */
export async function runChaos(options: ChaosOptions): Promise<ChaosResult> {
  const prng = new Prng(options.seed);
  const say = options.log ?? (() => {});
  const dir = tempDir('tandem-chaos-');
  const [portA, portB] = await freePorts(2);
  const cluster = join(dir, 'cluster.json');
  writeFileSync(
    cluster,
    JSON.stringify({
      cluster: 'chaos',
      secret: 'chaos-secret-of-enough-length',
      // Over TLS with pinned certificates, as a paired plant runs: every kill and freeze redials it.
      nodes: { 'pc-a': `https://127.0.0.1:${portA}`, 'pc-b': `https://127.0.0.1:${portB}` },
      fingerprints: Object.fromEntries(await Promise.all(NODES.map(async (node) => [node, (await loadOrCreateNodeCertificate(join(dir, node), node)).fingerprint]))),
      timing: { heartbeatMs: 100, failureTimeoutMs: 500 },
      projects: [{ id: 'fast', file: FAST_PROJECT, server: 'pc-a', standby: 'pc-b', failback: 'automatic' }],
    }),
  );
  const nodes = new Map<NodeName, RuntimeProcess>();
  const start = async (node: NodeName) => nodes.set(node, await startRuntimeProcess({ dataDir: join(dir, node), args: ['--cluster', cluster, '--node', node] }));
  const status = async (node: NodeName): Promise<ProjectStatus | null> => {
    const runtime = nodes.get(node);
    if (!runtime || runtime.child.exitCode !== null || runtime.child.signalCode !== null) return null;
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), 1_000);
    try {
      const res = await fetch(`${runtime.url}api/status`, { signal: controller.signal });
      return ((await res.json()) as StatusResponse).projects[0]!;
    } catch {
      return null;
    } finally {
      clearTimeout(timer);
    }
  };
  const whole = async () => {
    const [a, b] = await Promise.all(NODES.map(status));
    const roles = [a?.role, b?.role].sort().join('+');
    const serving = a?.role === 'server' ? a : b?.role === 'server' ? b : null;
    return roles === 'server+standby' && serving && !serving.degraded ? serving.server : undefined;
  };

  const violations: string[] = [];
  const rounds: ChaosResult['rounds'] = [];
  const confirmed = new Set<string>();
  let operating = true;
  // The operator's token, made once the pair is whole; both nodes accept it (one cluster key).
  const tokens: Record<string, string> = {};
  let requests = 0;
  const operator = (async () => {
    while (operating) {
      const requestId = `chaos-${options.seed}-${++requests}`;
      for (let attempt = 0; attempt < 20 && operating; attempt++) {
        const node = NODES[attempt % 2]!;
        const runtime = nodes.get(node);
        const answer = runtime ? await postJson<CommandResponse>(`${runtime.url}api/projects/fast/alarms/Blink.On/ack`, { requestId, user: 'chaos' }, tokens.chaos).catch(() => null) : null;
        if (answer?.status === 200) {
          if (answer.body.applied) confirmed.add(requestId);
          break;
        }
        if (answer?.status === 409) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      await new Promise((r) => setTimeout(r, 400));
    }
  })();

  try {
    await start('pc-a');
    await start('pc-b');
    const firstSlot = Math.ceil((Date.now() + 2_000) / 100) * 100;
    const formed = (await waitFor(whole, 20_000, 'the pair to form')) as NodeName;
    tokens.chaos = await userToken(nodes.get(formed)!.url, 'fast', 'chaos', 'operator');
    for (let round = 0; round < options.rounds; round++) {
      const all: ChaosFault[] = ['killServer', 'freezeServer', 'killStandby'];
      const fault = options.faults ? options.faults[round % options.faults.length]! : all[prng.int(0, all.length - 1)]!;
      await new Promise((r) => setTimeout(r, prng.int(300, 2_000)));
      const server = (await whole()) as NodeName | undefined;
      if (!server) throw new Error(`round ${round}: the pair is not whole before the fault`);
      const victim: NodeName = fault === 'killStandby' ? (server === 'pc-a' ? 'pc-b' : 'pc-a') : server;
      const runtime = nodes.get(victim)!;
      const faultAt = Date.now();
      if (fault === 'freezeServer') {
        runtime.child.kill('SIGSTOP');
        await new Promise((r) => setTimeout(r, prng.int(1_000, 3_000)));
        runtime.child.kill('SIGCONT');
      } else {
        runtime.child.kill('SIGKILL');
        await new Promise((r) => setTimeout(r, prng.int(200, 3_000)));
        await start(victim);
      }
      await waitFor(whole, 30_000, `the pair to be whole again after ${fault} of ${victim}`);
      rounds.push({ fault, node: victim, recoveredMs: Date.now() - faultAt });
      say(`round ${round + 1}/${options.rounds}: ${fault} ${victim}, whole again after ${Date.now() - faultAt} ms`);
    }
    operating = false;
    await operator;
    const lastSlot = Math.floor((Date.now() - 1_000) / 100) * 100;
    const converged = await waitFor(async () => {
      const [a, b] = await Promise.all(NODES.map(status));
      return a && b && a.stateHash === b.stateHash && a.seq === b.seq ? (a.role === 'server' ? 'pc-a' : 'pc-b') : undefined;
    }, 30_000, 'equal state hashes').catch(() => null);
    if (!converged) violations.push('the nodes did not converge to equal state hashes');
    const server = nodes.get(converged ?? 'pc-a')!;
    const archive = await getJson<ArchiveResponse>(`${server.url}api/projects/fast/archive?tag=Sim.Counter&from=${firstSlot}&to=${lastSlot}`);
    const times = archive.body.samples.map((s) => s.t);
    const expected = (lastSlot - firstSlot) / 100 + 1;
    const missing: number[] = [];
    for (let t = firstSlot; t <= lastSlot; t += 100) if (!times.includes(t)) missing.push(t);
    if (missing.length > 0 || times.length !== expected) {
      violations.push(`Sim.Counter: ${missing.length} of ${expected} slots missing (first at ${missing[0]}), ${times.length - (expected - missing.length)} doubled`);
    }
    for (const requestId of confirmed) {
      const retry = await postJson<CommandResponse>(`${server.url}api/projects/fast/alarms/Blink.On/ack`, { requestId, user: 'chaos' }, tokens.chaos);
      if (!(retry.status === 200 && retry.body.applied === false)) violations.push(`confirmed command ${requestId} is not on the Server (retry answered ${retry.status})`);
    }
    return { violations, rounds, confirmedCommands: confirmed.size, slotsChecked: expected };
  } finally {
    operating = false;
    for (const runtime of nodes.values()) {
      if (runtime.child.signalCode === 'SIGSTOP') runtime.child.kill('SIGCONT');
      runtime.child.kill('SIGKILL');
    }
    removeDir(dir);
  }
}
