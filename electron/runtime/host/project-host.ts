import { PairEngine } from '../../engine/redundancy/pair-engine.js';
import type { CommandReply, CommandRequest, EngineInput, PairConfig } from '../../engine/redundancy/engine-types.js';
import type { Project } from '../../../shared/project/load-project.js';
import type { ArchiveQuery, ArchiveResponse, CelQuery, CelResponse, ProjectStatus } from '../../../shared/protocol/api.js';
import type { AlarmStatus, DriverState, Position, Role, Sample, TagInfo } from '../../../shared/protocol/entities.js';
import type { PeerEnvelope } from '../../../shared/protocol/peer.js';
import type { LoggedOp, RecipeVersion, TagWrite } from '../../../shared/protocol/ops.js';
import type { UserRecord } from '../../../shared/domain/user-role.js';
import type { Clock } from '../clock.js';
import type { Driver } from '../drivers/driver.js';
import { createDrivers } from '../drivers/create-drivers.js';
import { log, logError } from '../log.js';
import { ProjectStore } from '../store/project-store.js';
import { holdsPosition } from './resume-position.js';
import { executeEffects, publicRole, type EffectListener, type PeerPort } from './effect-executor.js';
import { DriverHealthMonitor } from './driver-health.js';
import { DriverWriter } from './driver-writer.js';

/** What the client gateway hears from a project: persisted ops, live values and role changes. */
export type ProjectListener = EffectListener;

export interface ProjectHostOptions {
  project: Project;
  dataDir: string;
  node: string;
  bootId: string;
  clock: Clock;
  /** The pair this project runs in (and every node's URL); without one it runs standalone. */
  pair?: { config: PairConfig; peer: PeerPort; urls: ReadonlyMap<string, string>; linkProblem: () => string | null };
  /** Each node's TLS certificate fingerprint (this node's own, the peer's pinned), for the status. */
  fingerprints?: ReadonlyMap<string, string>;
}

export type CommandResult = CommandReply;

/** A command waits at most this long for the Standby's confirmation before the client is told to retry. */
const COMMAND_CONFIRM_TIMEOUT_MS = 10_000;

/**
 * Runs one project on this node. The engine decides (roles, replication, what to log); the host
 * feeds it time, samples, peer messages and commands, and executes its effects in order against the
 * store, the peer link and the clients (effect-executor.ts), persisting before telling anyone.
 */
export class ProjectHost {
  readonly listeners = new Set<ProjectListener>();
  private readonly drivers: Driver[];
  private readonly driverOf: ReadonlyMap<string, Driver>;
  private readonly health: DriverHealthMonitor;
  private readonly writer: DriverWriter;
  private readonly engine: PairEngine;
  private readonly tick: NodeJS.Timeout;
  private readonly healthTimer: NodeJS.Timeout;
  private readonly waiting = new Map<string, Array<(reply: CommandReply) => void>>();
  private stopped = false;

  private constructor(
    readonly project: Project,
    readonly store: ProjectStore,
    private readonly options: ProjectHostOptions,
  ) {
    const { clock, pair } = options;
    const config: PairConfig = pair?.config ?? { self: options.node, peer: null, preferred: options.node, failback: 'manual', heartbeatMs: 200, failureTimeoutMs: 1000 };
    this.engine = new PairEngine(
      project,
      config,
      options.bootId,
      {
        epoch: store.position().epoch,
        seq: store.position().seq,
        epochStarts: store.epochStarts(),
        alarms: store.alarms(),
        lastArchived: store.lastSamples(),
        processedThrough: store.processedThrough(),
        recipes: store.recipes(),
        users: store.users(),
        unfinishedWrites: store.unfinishedWrites(),
        pairSettings: store.pairSettings(),
      },
      clock.now(),
    );
    this.drivers = createDrivers(project, clock);
    const driversById = new Map(this.drivers.map((driver) => [driver.id, driver]));
    this.driverOf = new Map(project.tags.flatMap((tag) => (driversById.has(tag.driver) ? [[tag.id, driversById.get(tag.driver)!] as const] : [])));
    this.health = new DriverHealthMonitor(project.tags, this.drivers);
    this.writer = new DriverWriter(project.tags, this.drivers);
    this.input({ kind: 'tick', nowMs: clock.now() });
    for (const driver of this.drivers) driver.start(this.sinkFor(driver));
    // Ticks well inside a heartbeat, so failure detection is late by at most a quarter heartbeat.
    const tickMs = Math.max(10, Math.min(50, Math.floor(config.heartbeatMs / 4)));
    this.tick = setInterval(() => this.input({ kind: 'tick', nowMs: clock.now() }), tickMs);
    this.healthTimer = setInterval(() => {
      this.health.sample();
      this.input({ kind: 'driverHealth', health: this.health.health() });
    }, 1_000);
  }

  /** Opens the project's store (throws StoreOpenError) and starts its engine and drivers. */
  static start(options: ProjectHostOptions): ProjectHost {
    const store = ProjectStore.open(options.dataDir, options.project.id);
    try {
      return new ProjectHost(options.project, store, options);
    } catch (error) {
      store.close();
      throw error;
    }
  }

  subscribe(listener: ProjectListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The node this project pairs with, if any. */
  peerNode(): string | null {
    return this.options.pair?.config.peer ?? null;
  }

  /** A message from the peer node for this project. */
  peerEnvelope(envelope: PeerEnvelope): void {
    this.input({ kind: 'peer', nowMs: this.options.clock.now(), envelope });
  }

  peerLink(up: boolean): void {
    this.input({ kind: 'link', nowMs: this.options.clock.now(), up });
  }

  /** A station says when it last heard the Server it is connected to. */
  witness(server: string, epoch: number, silentForMs: number): void {
    this.input({ kind: 'witness', nowMs: this.options.clock.now(), server, epoch, silentForMs });
  }

  position(): Position {
    return this.store.position();
  }

  /** Whether a client that last saw `position` can resume after it on this node (resume-position.ts). */
  holdsPosition(position: Position): boolean {
    return holdsPosition(this.store.epochStarts(), this.store.position().seq, position);
  }

  role(): Role {
    return publicRole(this.engine.role, !this.options.pair);
  }

  server(): string | null {
    return this.engine.server;
  }

  status(): ProjectStatus {
    const alarms = this.engine.alarmStatuses();
    const { epoch, seq } = this.store.position();
    const peer = this.options.pair;
    return {
      id: this.project.id,
      name: this.project.name,
      role: this.role(),
      epoch,
      seq,
      server: this.engine.server ?? '',
      stateHash: this.store.stateHash(),
      drivers: this.health.statuses(),
      alarmsActive: alarms.filter((a) => a.conditionActive).length,
      alarmsUnacknowledged: alarms.filter((a) => a.state === 'unackActive' || a.state === 'unackRtn').length,
      peer: peer
        ? {
            node: peer.config.peer!,
            link: this.engine.linkUp ? 'up' : 'down',
            role: this.engine.peerAlive ? (this.engine.peerRole ?? null) : null,
            heartbeatRttMs: this.engine.rttMs,
            lastHeardMsAgo: this.engine.lastHeardMsAgo,
            drivers: this.engine.peerAlive ? this.engine.peerDrivers : null,
            problem: this.engine.linkUp ? null : peer.linkProblem(),
          }
        : null,
      replication: { lagOps: this.engine.replicationLagOps, lagMs: this.engine.replicationLagMs },
      alignmentProgress: this.engine.alignmentProgress,
      degraded: this.engine.degraded,
      roles: { preferred: this.engine.pairSettings.preferred, frozen: this.engine.pairSettings.frozen, outOfService: this.engine.pairSettings.outOfService },
      nodes: (peer ? [peer.config.self, peer.config.peer!].sort() : [this.options.node]).map((node) => ({
        node,
        url: peer?.urls.get(node) ?? null,
        fingerprint: this.options.fingerprints?.get(node) ?? null,
      })),
    };
  }

  tags(): TagInfo[] {
    const latest = this.engine.latestValues();
    return this.project.tags.map((tag) => {
      const sample = latest.get(tag.id);
      return {
        id: tag.id,
        description: tag.description,
        type: tag.type,
        unit: tag.unit,
        driver: tag.driver,
        archived: tag.archive.enabled,
        value: sample?.v ?? null,
        t: sample?.t ?? null,
        q: sample?.q ?? null,
        error: this.driverOf.get(tag.id)?.tagError(tag.id) ?? null,
        writable: tag.writable,
      };
    });
  }

  /** Alarms that need an operator's eye: everything not in the normal state. */
  activeAlarms(): AlarmStatus[] {
    return this.engine.alarmStatuses().filter((alarm) => alarm.state !== 'normal');
  }

  alarm(alarmId: string): AlarmStatus | undefined {
    return this.engine.alarmStatuses().find((alarm) => alarm.alarmId === alarmId);
  }

  /**
   * An operator command. It is answered once the Standby holds it (or at once without a Standby); a
   * requestId seen before is not applied again (`applied: false`).
   */
  command(request: CommandRequest): Promise<CommandResult> {
    return new Promise((resolve) => {
      const list = this.waiting.get(request.requestId) ?? [];
      list.push(resolve);
      this.waiting.set(request.requestId, list);
      const timer = setTimeout(() => {
        this.settle(request.requestId, {
          ok: false,
          code: 'notServer',
          message: 'the Standby has not confirmed this command yet; send it again with the same requestId',
          server: this.engine.server,
        });
      }, COMMAND_CONFIRM_TIMEOUT_MS);
      list.push(() => clearTimeout(timer));
      const logged = this.store.command(request.requestId) !== undefined;
      const loggedOutcomes = logged && request.command.kind === 'write' ? this.store.writeOutcomes(request.requestId) : null;
      this.input({ kind: 'command', nowMs: this.options.clock.now(), request, logged, loggedOutcomes });
    });
  }

  /** The project's users, the current version of each (with their password hashes: never send them out). */
  users(): UserRecord[] {
    return this.engine.userRecords();
  }

  user(name: string): UserRecord | undefined {
    return this.engine.userRecords().find((user) => user.name === name);
  }

  /** Every recipe's current version (the project file's values are version 0). */
  recipes(): RecipeVersion[] {
    return this.engine.recipeVersions();
  }

  queryArchive(query: ArchiveQuery): ArchiveResponse {
    return this.store.queryArchive(query);
  }

  queryCel(query: CelQuery): CelResponse {
    return this.store.queryCel(query);
  }

  stop(reason: string): void {
    clearInterval(this.tick);
    clearInterval(this.healthTimer);
    for (const driver of this.drivers) driver.stop();
    this.input({ kind: 'stop', nowMs: this.options.clock.now(), reason });
    this.stopped = true;
    this.listeners.clear();
    this.store.close();
  }

  private sinkFor(driver: Driver) {
    return {
      samples: (samples: Sample[]) => {
        this.health.read(samples);
        this.input({ kind: 'samples', nowMs: this.options.clock.now(), driver: driver.id, samples });
      },
      state: (state: DriverState, error: string | null) => {
        const text = `Driver ${driver.id} ${state}${error ? `: ${error}` : ''}`;
        log(state === 'error' ? 'warn' : 'info', text);
        this.input({ kind: 'driverState', nowMs: this.options.clock.now(), text });
      },
    };
  }

  private input(first: EngineInput): void {
    if (this.stopped) return;
    try {
      executeEffects(this.engine, first, {
        store: this.store,
        peer: this.options.pair?.peer ?? null,
        projectId: this.project.id,
        node: this.options.node,
        listeners: this.listeners,
        reply: (requestId, reply) => this.settle(requestId, reply),
        write: (requestId, writes) => this.write(requestId, writes),
        stored: (ops) => this.followWrites(ops),
      });
    } catch (error) {
      logError(`project ${this.project.id}: could not execute the engine's effects`, error);
    }
  }

  private write(requestId: string, writes: TagWrite[]): void {
    this.writer.write(writes, (outcomes) => this.input({ kind: 'written', nowMs: this.options.clock.now(), requestId, outcomes }));
  }

  /** Simulated drivers take the values the Server wrote, so both nodes' simulated plants agree. */
  private followWrites(ops: readonly LoggedOp[]): void {
    for (const op of ops) {
      if (op.kind !== 'writeResult') continue;
      for (const outcome of op.outcomes) if (outcome.ok) this.driverOf.get(outcome.tag)?.followWrite?.(outcome.tag, outcome.value);
    }
  }

  private settle(requestId: string, reply: CommandReply): void {
    const list = this.waiting.get(requestId);
    if (!list) return;
    this.waiting.delete(requestId);
    for (const done of list) done(reply);
  }
}
