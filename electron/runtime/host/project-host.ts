import { ProjectProcessor, type CommandOutcome, type OperatorRequest } from '../../engine/project/project-processor.js';
import type { Project } from '../../../shared/project/load-project.js';
import type { ArchiveQuery, ArchiveResponse, CelQuery, CelResponse, ProjectStatus } from '../../../shared/protocol/api.js';
import type { AlarmStatus, DriverState, Position, Sample, TagInfo } from '../../../shared/protocol/entities.js';
import type { LoggedOp, Op } from '../../../shared/protocol/ops.js';
import type { Clock } from '../clock.js';
import type { Driver } from '../drivers/driver.js';
import { createDrivers } from '../drivers/create-drivers.js';
import { log, logError } from '../log.js';
import { ProjectStore } from '../store/project-store.js';

/** What the client gateway hears from a project: persisted ops and live values. */
export interface ProjectListener {
  ops(ops: LoggedOp[], position: Position): void;
  values(samples: Sample[]): void;
}

export interface ProjectHostOptions {
  project: Project;
  dataDir: string;
  node: string;
  bootId: string;
  clock: Clock;
  version: string;
}

export type CommandResult =
  | { ok: true; applied: boolean; alarms: AlarmStatus[] }
  | Extract<CommandOutcome, { ok: false }>;

/** How often delays and shelving expiries are checked. */
const TICK_MS = 100;

/**
 * Runs one project on this node: drivers feed the processor, whose ops are persisted in the store
 * before anyone hears of them. The host decides nothing itself; it moves data between the pure
 * processor, the store, the drivers and the clients.
 */
export class ProjectHost {
  private readonly listeners = new Set<ProjectListener>();
  private readonly drivers: Driver[];
  private readonly processor: ProjectProcessor;
  private readonly tick: NodeJS.Timeout;

  private constructor(
    readonly project: Project,
    private readonly store: ProjectStore,
    private readonly options: ProjectHostOptions,
  ) {
    const { clock } = options;
    this.processor = new ProjectProcessor({
      project,
      node: options.node,
      bootId: options.bootId,
      alarms: store.alarms(),
      lastArchived: store.lastSamples(),
      nowMs: clock.now(),
    });
    this.record([this.processor.systemEvent(clock.now(), `Tandem ${options.version} started on node ${options.node}`)]);
    this.drivers = createDrivers(project, clock);
    for (const driver of this.drivers) driver.start(this.sinkFor(driver));
    this.tick = setInterval(() => this.record(this.processor.tick(clock.now())), TICK_MS);
  }

  /** Opens the project's store (throws StoreOpenError) and starts its drivers. */
  static start(options: ProjectHostOptions): ProjectHost {
    const store = ProjectStore.open(options.dataDir, options.project.id);
    return new ProjectHost(options.project, store, options);
  }

  subscribe(listener: ProjectListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  position(): Position {
    return this.store.position();
  }

  status(): ProjectStatus {
    const alarms = this.processor.alarmStatuses();
    const { epoch, seq } = this.store.position();
    return {
      id: this.project.id,
      name: this.project.name,
      role: 'standalone',
      epoch,
      seq,
      server: this.options.node,
      stateHash: this.store.stateHash(),
      drivers: this.drivers.map((driver) => driver.status()),
      alarmsActive: alarms.filter((a) => a.conditionActive).length,
      alarmsUnacknowledged: alarms.filter((a) => a.state === 'unackActive' || a.state === 'unackRtn').length,
    };
  }

  tags(): TagInfo[] {
    const latest = this.processor.latestValues();
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
      };
    });
  }

  /** Alarms that need an operator's eye: everything not in the normal state. */
  activeAlarms(): AlarmStatus[] {
    return this.processor.alarmStatuses().filter((alarm) => alarm.state !== 'normal');
  }

  alarm(alarmId: string): AlarmStatus | undefined {
    return this.processor.alarmStatus(alarmId);
  }

  /**
   * An operator command. A requestId seen before is not applied again: the answer then reports
   * `applied: false` with the alarms as they are now.
   */
  command(request: Omit<OperatorRequest, 't'>): CommandResult {
    if (this.store.command(request.requestId)) {
      const ids = request.command.kind === 'ack' ? request.command.alarmIds : [request.command.alarmId];
      const alarms = ids.map((id) => this.processor.alarmStatus(id)).filter((a): a is AlarmStatus => a !== undefined);
      return { ok: true, applied: false, alarms };
    }
    const t = this.options.clock.now();
    // Settle what fell due first (a delay met, a shelving expired), so the command meets the alarm as it is now.
    this.record(this.processor.tick(t));
    const outcome = this.processor.command({ ...request, t });
    if (!outcome.ok) return outcome;
    this.record(outcome.ops);
    return { ok: true, applied: true, alarms: outcome.alarms };
  }

  queryArchive(query: ArchiveQuery): ArchiveResponse {
    return this.store.queryArchive(query);
  }

  queryCel(query: CelQuery): CelResponse {
    return this.store.queryCel(query);
  }

  stop(reason: string): void {
    clearInterval(this.tick);
    for (const driver of this.drivers) driver.stop();
    this.record([this.processor.systemEvent(this.options.clock.now(), `Tandem stopped on node ${this.options.node}: ${reason}`)]);
    this.listeners.clear();
    this.store.close();
  }

  private sinkFor(driver: Driver) {
    return {
      samples: (samples: Sample[]) => {
        this.record(this.processor.ingest(driver.id, samples));
        for (const listener of this.listeners) listener.values(samples);
      },
      state: (state: DriverState, error: string | null) => {
        const text = `Driver ${driver.id} ${state}${error ? `: ${error}` : ''}`;
        log(state === 'error' ? 'warn' : 'info', text);
        this.record([this.processor.systemEvent(this.options.clock.now(), text)]);
      },
    };
  }

  /** Persists ops, then tells the listeners: nobody hears of what is not stored. */
  private record(ops: Op[]): void {
    if (ops.length === 0) return;
    let logged: LoggedOp[];
    try {
      logged = this.store.append(ops, this.store.position().epoch);
    } catch (error) {
      logError(`could not store ${ops.length} operations of project ${this.project.id}`, error);
      return;
    }
    if (logged.length === 0) return;
    const position = this.store.position();
    for (const listener of this.listeners) listener.ops(logged, position);
  }
}
