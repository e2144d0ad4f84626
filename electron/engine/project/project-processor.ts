import type { AlarmCore, AlarmEvent } from '../../../shared/domain/alarm-machine.js';
import type { Project } from '../../../shared/project/load-project.js';
import type { AlarmDef, TagDef } from '../../../shared/project/project-schema.js';
import type { AlarmStatus, Sample } from '../../../shared/protocol/entities.js';
import {
  alarmOpId,
  commandOpId,
  recipeOpId,
  userOpId,
  writeResultOpId,
  type CelFact,
  type Op,
  type OperatorCommand,
  type RecipeVersion,
  type TagWrite,
  type TransitionCause,
  type WriteOutcome,
} from '../../../shared/protocol/ops.js';
import { AlarmTracker, type TrackedChange } from './alarm-tracker.js';
import { ArchiveFilter } from './archive-filter.js';
import { alarmTransitionText, recipeVersionText, writeResultText } from './cel-text.js';
import { resolveRecipe, resolveWrite, type WriteCommand } from './plant-commands.js';
import { RecipeBook } from './recipe-book.js';
import { resolveUser, UserBook, type UserCommand } from './user-commands.js';
import type { UserRecord } from '../../../shared/domain/user-role.js';

export interface ProcessorInit {
  project: Project;
  node: string;
  /** Unique per process start; makes the ids of this run's batches unique. */
  bootId: string;
  /** Alarm states and last archived samples from the store, so a restart continues seamlessly. */
  alarms: readonly AlarmStatus[];
  lastArchived: readonly Sample[];
  /** Recipe versions saved since the project file's (the file's values are version 0). */
  recipes: readonly RecipeVersion[];
  /** The project's users, the newest version of each. */
  users: readonly UserRecord[];
  nowMs: number;
}

export interface OperatorRequest {
  requestId: string;
  user: string;
  t: number;
  command: OperatorCommand;
}

/** A command the processor accepted: its ops, the alarms it touched, and the values the Server must write once it is confirmed. */
export type CommandOutcome =
  | { ok: true; ops: Op[]; alarms: AlarmStatus[]; writes: TagWrite[] | null }
  | { ok: false; code: 'notFound' | 'conflict' | 'invalid'; message: string };

/** A write command as logged, to record its outcome. */
export interface LoggedWrite {
  requestId: string;
  user: string;
  command: WriteCommand;
}

/**
 * Turns what a project's drivers and operators do into log operations: archived samples, alarm
 * transitions with their CEL entries, operator commands and system events. Deterministic: the same
 * inputs give the same ops; it reads no clock and does no I/O (the runtime persists what it returns).
 */
export class ProjectProcessor {
  private readonly tags: Map<string, TagDef>;
  private readonly alarms = new Map<string, AlarmTracker>();
  private readonly alarmsByTag = new Map<string, AlarmTracker[]>();
  private readonly suppressedByTag = new Map<string, AlarmTracker[]>();
  private readonly archive: ArchiveFilter;
  private readonly latest = new Map<string, Sample>();
  private readonly recipes: RecipeBook;
  private readonly users: UserBook;
  private readonly projectId: string;
  private readonly node: string;
  private readonly bootId: string;
  private localCount = 0;

  constructor(init: ProcessorInit) {
    this.projectId = init.project.id;
    this.node = init.node;
    this.bootId = init.bootId;
    this.tags = new Map(init.project.tags.map((tag) => [tag.id, tag]));
    this.archive = new ArchiveFilter(init.lastArchived);
    this.recipes = new RecipeBook(init.project.recipes, init.recipes);
    this.users = new UserBook(init.users);
    const restored = new Map(init.alarms.map((status) => [status.alarmId, status]));
    for (const def of init.project.alarms) {
      const status = restored.get(def.id);
      const tracker = status ? AlarmTracker.restored(def, status) : AlarmTracker.fresh(def, init.nowMs);
      this.alarms.set(def.id, tracker);
      push(this.alarmsByTag, def.tag, tracker);
      if (def.suppressedBy) push(this.suppressedByTag, def.suppressedBy.tag, tracker);
    }
  }

  /**
   * A batch of samples from a driver, oldest first. Returns the batch op (the samples the archive
   * keeps, and how far the driver's timeline is processed) followed by any alarm transitions.
   */
  ingest(driver: string, samples: readonly Sample[]): Op[] {
    const kept: Sample[] = [];
    const alarmOps: Op[] = [];
    for (const sample of samples) {
      const tag = this.tags.get(sample.tag);
      if (!tag) continue;
      this.latest.set(sample.tag, sample);
      if (this.archive.keep(tag, sample)) kept.push(sample);
      if (sample.q !== 'good') continue;
      for (const tracker of this.suppressedByTag.get(sample.tag) ?? []) {
        const suppressed = sample.v === tracker.def.suppressedBy?.equals;
        alarmOps.push(...this.toOps(tracker, tracker.onSuppression(sample.t, suppressed)));
      }
      for (const tracker of this.alarmsByTag.get(sample.tag) ?? []) {
        alarmOps.push(...this.toOps(tracker, tracker.onValue(sample.t, sample.v)));
      }
    }
    const last = samples.at(-1);
    if (!last) return alarmOps;
    const batch: Op = { id: this.localId('smp'), kind: 'samples', t: samples[0]!.t, driver, through: last.t, samples: kept };
    return [batch, ...alarmOps];
  }

  /** Time passing: alarm delays and shelving that ran out. */
  tick(nowMs: number): Op[] {
    const ops: Op[] = [];
    for (const tracker of this.alarms.values()) ops.push(...this.toOps(tracker, tracker.onTick(nowMs)));
    return ops;
  }

  command(request: OperatorRequest): CommandOutcome {
    const { command } = request;
    switch (command.kind) {
      case 'write':
        return this.writeCommand(request, command);
      case 'recipe':
        return this.recipeCommand(request, command);
      case 'user':
        return this.userCommand(request, command);
      case 'ack':
      case 'shelve':
      case 'unshelve':
        return this.alarmCommand(request, command);
      default:
        // Role commands steer the pair, not the plant: the pair engine takes them (pair-commands.ts).
        return { ok: false, code: 'invalid', message: `"${command.kind}" is a command for the redundancy pair, not for the project` };
    }
  }

  /** The op that records how a write command ended (`abandoned`: why it was not written at all). */
  writeResult(write: LoggedWrite, outcomes: readonly WriteOutcome[], t: number, abandoned: string | null = null): Op {
    const { recipe } = write.command;
    const name = recipe ? (this.recipes.def(recipe.id)?.name ?? recipe.id) : null;
    const text = writeResultText({
      writes: write.command.writes,
      outcomes,
      recipe: recipe && name !== null ? { name, version: recipe.version ?? 0 } : null,
      user: write.user,
      tags: this.tags,
      abandoned,
    });
    const id = writeResultOpId(write.requestId);
    const single = write.command.writes.length === 1 ? write.command.writes[0]!.tag : null;
    const cel: CelFact = { id, t, node: this.node, kind: 'operator', user: write.user, text, alarmId: null, tag: single, state: null };
    return { id, kind: 'writeResult', t, requestId: write.requestId, outcomes: [...outcomes], cel };
  }

  /** A recipe version merged from the other node: kept if it is newer than ours. */
  recordRecipe(version: RecipeVersion): void {
    this.recipes.record(version);
  }

  /** A user version merged from the other node: kept if it is newer than ours. */
  recordUser(user: UserRecord): void {
    this.users.record(user);
  }

  userRecord(name: string): UserRecord | undefined {
    return this.users.get(name);
  }

  userRecords(): UserRecord[] {
    return this.users.all();
  }

  recipeVersion(recipeId: string): RecipeVersion | undefined {
    return this.recipes.get(recipeId);
  }

  recipeVersions(): RecipeVersion[] {
    return this.recipes.all();
  }

  private writeCommand(request: OperatorRequest, command: WriteCommand): CommandOutcome {
    const resolved = resolveWrite(command, this.tags, this.recipes);
    if (!resolved.ok) return resolved;
    const recorded: Op = { id: commandOpId(request.requestId), kind: 'command', t: request.t, requestId: request.requestId, user: request.user, command: resolved.command };
    return { ok: true, ops: [recorded], alarms: [], writes: resolved.command.writes };
  }

  private recipeCommand(request: OperatorRequest, command: Extract<OperatorCommand, { kind: 'recipe' }>): CommandOutcome {
    const resolved = resolveRecipe(command, { tags: this.tags, recipes: this.recipes, latest: this.latest, user: request.user, t: request.t });
    if (!resolved.ok) return resolved;
    const { version } = resolved;
    const before = this.recipes.get(version.recipeId)!;
    const name = this.recipes.def(version.recipeId)?.name ?? version.recipeId;
    const text = recipeVersionText({ name, before, after: version, uploaded: command.values === null, tags: this.tags });
    this.recipes.record(version);
    const id = recipeOpId(version);
    const cel: CelFact = { id, t: request.t, node: this.node, kind: 'operator', user: request.user, text, alarmId: null, tag: null, state: null };
    const recorded: Op = { id: commandOpId(request.requestId), kind: 'command', t: request.t, requestId: request.requestId, user: request.user, command: resolved.command };
    return { ok: true, ops: [recorded, { id, kind: 'recipe', t: request.t, recipe: version, cel }], alarms: [], writes: null };
  }

  private userCommand(request: OperatorRequest, command: UserCommand): CommandOutcome {
    const resolved = resolveUser(command, { users: this.users, project: this.projectId, by: request.user, t: request.t });
    if (!resolved.ok) return resolved;
    this.users.record(resolved.user);
    const id = userOpId(resolved.user);
    const cel: CelFact = { id, t: request.t, node: this.node, kind: 'operator', user: request.user, text: resolved.text, alarmId: null, tag: null, state: null };
    const logged = { ...command, passwordHash: null };
    const recorded: Op = { id: commandOpId(request.requestId), kind: 'command', t: request.t, requestId: request.requestId, user: request.user, command: logged };
    return { ok: true, ops: [recorded, { id, kind: 'user', t: request.t, user: resolved.user, cel }], alarms: [], writes: null };
  }

  private alarmCommand(request: OperatorRequest, command: Extract<OperatorCommand, { kind: 'ack' | 'shelve' | 'unshelve' }>): CommandOutcome {
    const ids = command.kind === 'ack' ? command.alarmIds : [command.alarmId];
    const unknown = ids.filter((id) => !this.alarms.has(id));
    if (unknown.length > 0) {
      return { ok: false, code: 'notFound', message: `unknown alarm ${unknown.slice(0, 5).map((id) => `"${id}"`).join(', ')}` };
    }
    const ops: Op[] = [];
    const refusals: string[] = [];
    const touched: AlarmTracker[] = [];
    for (const id of ids) {
      const tracker = this.alarms.get(id)!;
      const result = tracker.onOperator(operatorEvent(request, command));
      if (typeof result === 'string') {
        refusals.push(`"${id}": ${result}`);
        continue;
      }
      ops.push(...this.toOps(tracker, result, request));
      touched.push(tracker);
    }
    if (touched.length === 0) return { ok: false, code: 'conflict', message: `nothing to do: ${refusals.slice(0, 5).join('; ')}` };
    const recorded: Op = { id: commandOpId(request.requestId), kind: 'command', t: request.t, requestId: request.requestId, user: request.user, command };
    return { ok: true, ops: [recorded, ...ops], alarms: touched.map((tracker) => this.status(tracker)), writes: null };
  }

  /** A system event for the CEL (start, stop, driver connected...); `id` for one that must be logged once whoever makes it. */
  systemEvent(t: number, text: string, id?: string): Op {
    const cel: CelFact = { id: id ?? this.localId('sys'), t, node: this.node, kind: 'system', user: null, text, alarmId: null, tag: null, state: null };
    return { id: cel.id, kind: 'cel', t, cel };
  }

  /** Takes over an alarm state merged from the other node (it was newer than ours). */
  restoreAlarm(status: AlarmStatus): void {
    const current = this.alarms.get(status.alarmId);
    if (!current) return;
    const restored = AlarmTracker.restored(current.def, status);
    this.alarms.set(status.alarmId, restored);
    for (const index of [this.alarmsByTag, this.suppressedByTag]) {
      for (const list of index.values()) {
        const at = list.indexOf(current);
        if (at >= 0) list[at] = restored;
      }
    }
  }

  alarmStatuses(): AlarmStatus[] {
    return [...this.alarms.values()].map((tracker) => this.status(tracker));
  }

  alarmStatus(alarmId: string): AlarmStatus | undefined {
    const tracker = this.alarms.get(alarmId);
    return tracker && this.status(tracker);
  }

  latestValues(): ReadonlyMap<string, Sample> {
    return this.latest;
  }

  /** Transitions without a request are the process's, the design's or a shelving's that ran out. */
  private toOps(tracker: AlarmTracker, changes: TrackedChange[], request?: OperatorRequest): Op[] {
    return changes.map(({ event, before, after }) => {
      const cause = request ? 'operator' : automaticCause(event);
      const user = request?.user ?? null;
      const comment = request ? request.command.comment || null : null;
      const transition = { alarmId: tracker.def.id, t: event.t, from: before.state, to: after.state, cause, value: after.value, user, comment };
      const id = alarmOpId(transition);
      const text = alarmTransitionText({ ...transition, def: tracker.def, tag: this.tags.get(tracker.def.tag), shelvedUntil: after.shelvedUntil });
      const cel: CelFact = {
        id,
        t: event.t,
        node: this.node,
        kind: cause === 'operator' ? 'operator' : 'alarm',
        user,
        text,
        alarmId: tracker.def.id,
        tag: tracker.def.tag,
        state: after.state,
      };
      return { id, kind: 'alarm', t: event.t, transition, status: statusOf(tracker.def, after), cel };
    });
  }

  private status(tracker: AlarmTracker): AlarmStatus {
    return statusOf(tracker.def, tracker.state);
  }

  private localId(prefix: string): string {
    this.localCount += 1;
    return `${prefix}/${this.node}/${this.bootId}/${this.localCount}`;
  }
}

function statusOf(def: AlarmDef, state: AlarmCore): AlarmStatus {
  return {
    alarmId: def.id,
    tag: def.tag,
    text: def.text,
    priority: def.priority,
    alarmClass: def.class,
    state: state.state,
    conditionActive: state.conditionActive,
    since: state.since,
    activeSince: state.activeSince,
    value: state.value,
    ackUser: state.ackUser,
    ackComment: state.ackComment,
    shelvedUntil: state.shelvedUntil,
  };
}

function operatorEvent(request: OperatorRequest, command: Extract<OperatorCommand, { kind: 'ack' | 'shelve' | 'unshelve' }>): AlarmEvent {
  const { t, user } = request;
  switch (command.kind) {
    case 'ack':
      return { kind: 'ack', t, user, comment: command.comment };
    case 'shelve':
      return { kind: 'shelve', t, user, comment: command.comment, untilMs: t + command.durationMs };
    case 'unshelve':
      return { kind: 'unshelve', t };
  }
}

function automaticCause(event: AlarmEvent): TransitionCause {
  if (event.kind === 'suppression') return 'design';
  if (event.kind === 'unshelve') return 'shelveExpiry';
  return 'process';
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
