import type { CommandReply, PairConfig } from '../../electron/engine/redundancy/engine-types.js';
import { setLogLevel } from '../../electron/runtime/log.js';
import type { OperatorCommand } from '../../shared/protocol/ops.js';
import { Prng } from './prng.js';

// Thousands of simulated role changes are not news.
setLogLevel('warn');
import { SimNetwork } from './sim-network.js';
import { SimNode, type RoleChange } from './sim-node.js';
import { gridSamples, simProject } from './sim-project.js';

export interface SimOptions {
  seed: number;
  durationMs: number;
  /** Liveness: faults stop at 60 % of the run, then everything heals and the nodes must converge. */
  mode: 'safety' | 'liveness';
  heartbeatMs?: number;
  failureTimeoutMs?: number;
  /** Scripted faults (ms after the start) instead of random ones: for named scenarios. */
  script?: ScriptedFault[];
  /** Breaks the run on purpose, to show the checkers catch it. */
  sabotage?: 'dropConfirmedCommand';
}

export type ScriptedFault =
  | { atMs: number; crash: 'pc-a' | 'pc-b' | 'server' | 'standby'; restartAfterMs: number }
  | { atMs: number; cut: 'a>b' | 'b>a' | 'both'; healAfterMs: number }
  /** The node stands still (a blocked event loop): no ticks, and what reaches it waits until it runs again. */
  | { atMs: number; stall: 'pc-a' | 'pc-b' | 'server' | 'standby'; forMs: number };

export interface SimResult {
  seed: number;
  violations: string[];
  roleChanges: RoleChange[];
  confirmed: number;
  faults: string[];
  nodes: SimNode[];
  startMs: number;
}

const STEP_MS = 10;
const TICK_MS = 50;
const GRID_MS = 100;
const T0 = 1_800_000_000_000;

interface Operation {
  requestId: string;
  target: number;
  nextTryMs: number;
  /**
   * Every other operation writes the setpoint (through the Server's drivers) instead of acknowledging;
   * now and then one switches the role over to the other node, or freezes or unfreezes the roles.
   */
  command: OperatorCommand | 'switchover';
}

const ACK: OperatorCommand = { kind: 'ack', alarmIds: ['Blink.On'], comment: '' };
const freeze = (frozen: boolean): OperatorCommand => ({ kind: 'freeze', frozen, comment: '' });
const commandFor = (operation: Operation, other: string): OperatorCommand =>
  operation.command === 'switchover' ? { kind: 'switchover', to: other, comment: '' } : operation.command;
const writeSetpoint = (value: number): OperatorCommand => ({ kind: 'write', writes: [{ tag: 'Sim.Setpoint', value }], recipe: null, comment: '' });

/** Runs a seeded simulation of a Server/Standby pair with faults, and checks the invariants. */
export function runSimulation(options: SimOptions): SimResult {
  const prng = new Prng(options.seed);
  const heartbeatMs = options.heartbeatMs ?? 200;
  const failureTimeoutMs = options.failureTimeoutMs ?? 1000;
  const project = simProject();
  const network = new SimNetwork(prng, { lossRate: 0, duplicateRate: 0, delayMinMs: 1, delayMaxMs: 5 });
  const violations: string[] = [];
  const roleChanges: RoleChange[] = [];
  const serverOfEpoch = new Map<number, string>();
  const confirmed = new Map<string, { degraded: boolean }>();
  const faults: string[] = [];
  const names = ['pc-a', 'pc-b'] as const;

  const onRole = (change: RoleChange) => {
    roleChanges.push(change);
    if (change.role !== 'server') return;
    const other = serverOfEpoch.get(change.epoch);
    if (other && other !== change.node) violations.push(`two Servers in epoch ${change.epoch}: ${other} and ${change.node} (at ${change.atMs - T0} ms)`);
    serverOfEpoch.set(change.epoch, change.node);
  };
  const operations: Operation[] = [];
  const onReply = (_node: string, requestId: string, reply: CommandReply) => {
    const operation = operations.find((o) => o.requestId === requestId);
    if (!operation) return;
    if (reply.ok) {
      if (reply.applied) confirmed.set(requestId, { degraded: reply.degraded });
      operations.splice(operations.indexOf(operation), 1);
    } else if (reply.code === 'conflict' || reply.code === 'notFound') {
      operations.splice(operations.indexOf(operation), 1);
    } else {
      operation.target = 1 - operation.target;
    }
  };
  const config = (self: string, peer: string): PairConfig => ({ self, peer, preferred: 'pc-a', failback: 'automatic', heartbeatMs, failureTimeoutMs });
  const nodes = [
    new SimNode('pc-a', project, config('pc-a', 'pc-b'), network, onRole, onReply),
    new SimNode('pc-b', project, config('pc-b', 'pc-a'), network, onRole, onReply),
  ];
  const restartAt = new Map<SimNode, number>();
  let healAtMs = 0;
  const faultsEndMs = options.mode === 'liveness' ? T0 + options.durationMs * 0.6 : T0 + options.durationMs;
  // Liveness: the plant goes quiet for the last 10 %, so replication can finish before the nodes are compared.
  const quietFromMs = options.mode === 'liveness' ? T0 + options.durationMs * 0.9 : Infinity;
  let requestCount = 0;

  for (const node of nodes) node.boot(T0 + prng.int(0, 300));
  for (let now = T0; now <= T0 + options.durationMs; now += STEP_MS) {
    for (const node of nodes) node.resumeIfDue(now);
    for (const { to, envelope } of network.due(now)) nodes.find((n) => n.name === to)?.input({ kind: 'peer', nowMs: now, envelope });
    if (now % GRID_MS === 0 && now < quietFromMs) {
      for (const node of nodes) node.input({ kind: 'samples', nowMs: now, driver: 'Sim', samples: gridSamples(project, now) });
    }
    if (now % TICK_MS === 0) for (const node of nodes) node.input({ kind: 'tick', nowMs: now });

    for (const fault of options.script ?? []) {
      if (now !== T0 + fault.atMs) continue;
      if ('crash' in fault) {
        const victim = nodes.find((n) => n.name === fault.crash || n.engine?.role === fault.crash);
        if (!victim?.up) continue;
        victim.crash();
        restartAt.set(victim, now + fault.restartAfterMs);
        faults.push(`${fault.atMs}: crash ${victim.name}`);
      } else if ('stall' in fault) {
        const node = nodes.find((n) => n.name === fault.stall || n.engine?.role === fault.stall);
        if (!node?.up) continue;
        node.stall(now + fault.forMs);
        faults.push(`${fault.atMs}: stall ${node.name} for ${fault.forMs} ms`);
      } else {
        if (fault.cut !== 'b>a') network.cut('pc-a', 'pc-b');
        if (fault.cut !== 'a>b') network.cut('pc-b', 'pc-a');
        healAtMs = now + fault.healAfterMs;
        faults.push(`${fault.atMs}: cut ${fault.cut}`);
      }
    }
    if (!options.script && now < faultsEndMs && now > T0 + 3_000) {
      // One failure at a time: a node crashes or stands still only while the pair is whole (a Server and a
      // Standby, both running); two failures inside one detection window may lose what only the first one's buffer held.
      const whole = nodes.some((n) => n.engine?.role === 'server') && nodes.some((n) => n.engine?.role === 'standby') && !nodes.some((n) => n.stalled);
      if (whole && prng.chance(0.0015)) {
        const victim = nodes[prng.int(0, 1)]!;
        victim.crash();
        restartAt.set(victim, now + prng.int(300, 6_000));
        faults.push(`${now - T0}: crash ${victim.name}`);
      } else if (whole && prng.chance(0.001)) {
        const node = nodes[prng.int(0, 1)]!;
        const forMs = prng.int(100, 4_000);
        node.stall(now + forMs);
        faults.push(`${now - T0}: stall ${node.name} for ${forMs} ms`);
      }
      if (healAtMs === 0 && prng.chance(0.001)) {
        const [from, to] = prng.chance(0.5) ? names : ([names[1], names[0]] as const);
        network.cut(from, to);
        if (prng.chance(0.5)) network.cut(to, from);
        healAtMs = now + prng.int(300, 5_000);
        faults.push(`${now - T0}: cut ${from}>${to}${network.isCut(to, from) ? ' both ways' : ''}`);
      }
      network.faults = prng.chance(0.01)
        ? { lossRate: prng.next() * 0.2, duplicateRate: prng.next() * 0.1, delayMinMs: 1, delayMaxMs: prng.int(5, 300) }
        : network.faults;
    }
    if (healAtMs !== 0 && (now >= healAtMs || now >= faultsEndMs)) {
      network.heal();
      healAtMs = 0;
    }
    if (now >= faultsEndMs) network.faults = { lossRate: 0, duplicateRate: 0, delayMinMs: 1, delayMaxMs: 5 };
    for (const [node, at] of restartAt) {
      if (now >= at || now >= faultsEndMs) {
        node.boot(now);
        restartAt.delete(node);
      }
    }

    if (now % 700 === 0 && operations.length < 5 && now < quietFromMs) {
      requestCount += 1;
      // Scripted scenarios check roles as their faults move them: no operator steers those.
      const steer = options.script === undefined;
      const command =
        steer && requestCount % 7 === 0 ? 'switchover' : steer && requestCount % 11 === 0 ? freeze(requestCount % 22 === 0) : requestCount % 2 === 0 ? writeSetpoint(requestCount % 100) : ACK;
      operations.push({ requestId: `op-${options.seed}-${requestCount}`, target: prng.int(0, 1), nextTryMs: now, command });
    }
    for (const operation of operations) {
      if (now < operation.nextTryMs) continue;
      operation.nextTryMs = now + 300;
      const node = nodes[operation.target]!;
      if (!node.up) {
        operation.target = 1 - operation.target;
        continue;
      }
      // A node that stands still reads no request: the client sends it again at its next try.
      if (node.stalled) continue;
      const logged = node.store.commands.has(operation.requestId);
      const loggedOutcomes = node.store.writeOutcomes(operation.requestId);
      node.input({ kind: 'command', nowMs: now, logged, loggedOutcomes, request: { requestId: operation.requestId, user: 'sim', command: commandFor(operation, names[1 - operation.target]!) } });
    }
  }

  if (options.sabotage === 'dropConfirmedCommand') {
    const [requestId] = confirmed.keys();
    for (const node of nodes) if (requestId) node.store.commands.delete(requestId);
  }
  checkEnd(options, nodes, confirmed, violations, Math.min(quietFromMs, T0 + options.durationMs) - GRID_MS);
  return { seed: options.seed, violations, roleChanges, confirmed: confirmed.size, faults, nodes, startMs: T0 };
}

function checkEnd(options: SimOptions, nodes: SimNode[], confirmed: Map<string, { degraded: boolean }>, violations: string[], lastSlotMs: number): void {
  const servers = nodes.filter((n) => n.engine?.role === 'server');
  if (options.mode === 'liveness' && servers.length !== 1) violations.push(`after healing, ${servers.length} nodes serve`);
  for (const server of servers) {
    for (const [requestId, { degraded }] of confirmed) {
      const mustHave = options.mode === 'liveness' || !degraded;
      if (mustHave && !server.store.commands.has(requestId)) violations.push(`confirmed command ${requestId} missing on Server ${server.name}`);
      const isWrite = server.store.log.some((op) => op.kind === 'command' && op.requestId === requestId && op.command.kind === 'write');
      if (mustHave && isWrite && server.store.writeOutcomes(requestId) === null) violations.push(`confirmed write ${requestId} has no outcome on Server ${server.name}`);
    }
  }
  if (options.mode !== 'liveness') return;
  const [a, b] = nodes as [SimNode, SimNode];
  if (a.store.stateHash() !== b.store.stateHash()) {
    violations.push(`state hashes differ after healing: ${a.name} ${a.store.stateHash()} (seq ${a.store.seq}), ${b.name} ${b.store.stateHash()} (seq ${b.store.seq})`);
  }
  for (const node of nodes) {
    const slots = [...node.store.samples.values()].filter((s) => s.tag === 'Sim.Counter').map((s) => s.t).sort((x, y) => x - y);
    const from = T0 + 2_000;
    const to = lastSlotMs;
    const have = new Set(slots);
    const missing: number[] = [];
    for (let t = from; t <= to; t += GRID_MS) if (!have.has(t)) missing.push(t - T0);
    if (missing.length > 0) violations.push(`${node.name}: ${missing.length} Sim.Counter slots missing, first at ${missing[0]} ms`);
  }
}
