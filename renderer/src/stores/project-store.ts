import { createStore } from 'zustand/vanilla';
import { useStore } from 'zustand';
import type { ProjectStatus } from '../../../shared/protocol/api.js';
import type { AlarmStatus, CelEntry, Position, Role, Sample, TagInfo } from '../../../shared/protocol/entities.js';
import type { ServerMessage } from '../../../shared/protocol/ws.js';
import { countAlarms, emptyAlarmCounts, type AlarmCounts } from './alarm-counts.js';
import { mergeCel } from './cel-merge.js';
import { isNewerAlarm, isPendingEmpty, type PendingUpdates } from './pending-updates.js';
import { laterPosition } from './position.js';

type Snapshot = Extract<ServerMessage, { type: 'snapshot' }>;

export interface ProjectState {
  projectId: string | null;
  /** Polled over HTTP: name, epoch, state hash, drivers (the WebSocket does not carry them). */
  status: ProjectStatus | null;
  role: Role | null;
  server: string | null;
  /** The latest log position applied; sent as `resume` after a reconnect. */
  position: Position | null;
  tags: ReadonlyMap<string, TagInfo>;
  tagIds: readonly string[];
  values: ReadonlyMap<string, Sample>;
  alarms: ReadonlyMap<string, AlarmStatus>;
  alarmCounts: AlarmCounts;
  /** Newest first, at most CEL_MEMORY_MAX. */
  cel: readonly CelEntry[];
  /** True when the server holds CEL entries older than the oldest one held here. */
  celOlderExists: boolean;
}

function initialProjectState(): ProjectState {
  return {
    projectId: null,
    status: null,
    role: null,
    server: null,
    position: null,
    tags: new Map(),
    tagIds: [],
    values: new Map(),
    alarms: new Map(),
    alarmCounts: emptyAlarmCounts(),
    cel: [],
    celOlderExists: false,
  };
}

export const projectStore = createStore<ProjectState>()(initialProjectState);

export function useProject<T>(selector: (state: ProjectState) => T): T {
  return useStore(projectStore, selector);
}

export function resetProjectStore(): void {
  projectStore.setState(initialProjectState(), true);
}

export function setProjectId(projectId: string): void {
  if (projectStore.getState().projectId !== projectId) {
    projectStore.setState({ ...initialProjectState(), projectId }, true);
  }
}

/**
 * A resumed snapshot carries only the CEL entries after the position this client sent, which join
 * the ones held; otherwise its entries are a fresh list that replaces them (no hole can open).
 */
export function applySnapshot(snapshot: Snapshot): void {
  const held = projectStore.getState();
  const keepCel = snapshot.resumed;
  const tags = new Map(snapshot.tags.map((tag) => [tag.id, tag]));
  // After a switchover the new Server may not hold a value of every tag yet, or only an older one:
  // the station keeps the newer sample it has (shown with its own time and quality) until a live
  // frame replaces it, so values never blank out while the Server changes.
  const heldValues = held.projectId === snapshot.project ? held.values : new Map<string, Sample>();
  const values = new Map<string, Sample>();
  for (const tag of snapshot.tags) {
    const fresh = tag.value !== null && tag.t !== null && tag.q !== null ? { tag: tag.id, t: tag.t, v: tag.value, q: tag.q } : undefined;
    const kept = heldValues.get(tag.id);
    const newer = kept && (!fresh || kept.t > fresh.t) ? kept : fresh;
    if (newer) values.set(tag.id, newer);
  }
  const alarms = new Map(snapshot.alarms.map((alarm) => [alarm.alarmId, alarm]));
  projectStore.setState({
    projectId: snapshot.project,
    role: snapshot.role,
    server: snapshot.server,
    position: snapshot.position,
    tags,
    tagIds: [...tags.keys()].sort(),
    values,
    alarms,
    alarmCounts: countAlarms(alarms.values()),
    cel: mergeCel(keepCel ? held.cel : [], snapshot.cel),
    celOlderExists: keepCel ? held.celOlderExists || snapshot.celTruncated : snapshot.celTruncated,
  });
}

export function applyPending(pending: PendingUpdates): void {
  if (isPendingEmpty(pending)) return;
  const held = projectStore.getState();
  const next: Partial<ProjectState> = { position: laterPosition(held.position, pending.position) };
  if (pending.values.size > 0) {
    const values = new Map(held.values);
    for (const [tag, sample] of pending.values) values.set(tag, sample);
    next.values = values;
  }
  if (pending.alarms.size > 0) {
    const alarms = mergeAlarms(held.alarms, pending.alarms.values());
    next.alarms = alarms;
    next.alarmCounts = countAlarms(alarms.values());
  }
  if (pending.cel.length > 0) {
    const cel = mergeCel(held.cel, pending.cel);
    next.cel = cel;
    if (cel.length < held.cel.length + pending.cel.length) next.celOlderExists = true;
  }
  projectStore.setState(next);
}

/** Alarm statuses from a command reply, so the operator sees the outcome before the live frame. */
export function upsertAlarms(statuses: readonly AlarmStatus[]): void {
  if (statuses.length === 0) return;
  const alarms = mergeAlarms(projectStore.getState().alarms, statuses);
  projectStore.setState({ alarms, alarmCounts: countAlarms(alarms.values()) });
}

export function setProjectStatus(status: ProjectStatus): void {
  projectStore.setState({ status, role: status.role, server: status.server });
}

function mergeAlarms(held: ReadonlyMap<string, AlarmStatus>, incoming: Iterable<AlarmStatus>): Map<string, AlarmStatus> {
  const alarms = new Map(held);
  for (const alarm of incoming) {
    if (!isNewerAlarm(alarms.get(alarm.alarmId), alarm)) continue;
    // The snapshot carries only standing alarms; dropping ones back to normal keeps both views alike.
    if (alarm.state === 'normal') alarms.delete(alarm.alarmId);
    else alarms.set(alarm.alarmId, alarm);
  }
  return alarms;
}
