import { createStore } from 'zustand/vanilla';
import { useStore } from 'zustand';
import type { ProjectStatus, ResourceHealth } from '../../../../shared/protocol/api.js';
import type { SwitchoverEntry } from './drill-runner.js';
import { appendReading } from './history.js';
import type { TimedValue } from './sparkline.js';

/** What the dashboard knows of one node from polling it, with the last minute of its link and alignment. */
export interface NodeReading {
  /** The project's status on the node; null until it answers, and while it does not. */
  status: ProjectStatus | null;
  resources: ResourceHealth | null;
  /** Station time of the latest answer. */
  answeredAtMs: number | null;
  /** Why the latest poll got no answer; null when it did. */
  problem: string | null;
  heartbeatRttMs: TimedValue[];
  alignment: TimedValue[];
}

export interface DashboardState {
  nodes: ReadonlyMap<string, NodeReading>;
  /** Station time of the latest poll round: "now" for how old each reading is. */
  polledAtMs: number | null;
  /** From the Server's log, newest first. */
  switchovers: readonly SwitchoverEntry[];
  switchoversProblem: string | null;
}

function initialDashboardState(): DashboardState {
  return { nodes: new Map(), polledAtMs: null, switchovers: [], switchoversProblem: null };
}

export const dashboardStore = createStore<DashboardState>()(initialDashboardState);

export function useDashboard<T>(selector: (state: DashboardState) => T): T {
  return useStore(dashboardStore, selector);
}

export function resetDashboardStore(): void {
  dashboardStore.setState(initialDashboardState(), true);
}

const EMPTY: NodeReading = { status: null, resources: null, answeredAtMs: null, problem: null, heartbeatRttMs: [], alignment: [] };

function update(node: string, next: (held: NodeReading) => NodeReading): void {
  const nodes = new Map(dashboardStore.getState().nodes);
  nodes.set(node, next(nodes.get(node) ?? EMPTY));
  dashboardStore.setState({ nodes });
}

export function recordNodeStatus(node: string, atMs: number, status: ProjectStatus, resources: ResourceHealth): void {
  update(node, (held) => ({
    status,
    resources,
    answeredAtMs: atMs,
    problem: null,
    heartbeatRttMs: appendReading(held.heartbeatRttMs, { t: atMs, v: status.peer?.link === 'up' ? status.peer.heartbeatRttMs : null }),
    alignment: appendReading(held.alignment, { t: atMs, v: status.role === 'aligning' ? status.alignmentProgress : null }),
  }));
}

/** The node did not answer: its last status is dropped (it is no longer true), its history shows a gap. */
export function recordNodeSilent(node: string, atMs: number, problem: string): void {
  update(node, (held) => ({
    ...held,
    status: null,
    resources: null,
    problem,
    heartbeatRttMs: appendReading(held.heartbeatRttMs, { t: atMs, v: null }),
    alignment: appendReading(held.alignment, { t: atMs, v: null }),
  }));
}

export function notePollRound(atMs: number): void {
  dashboardStore.setState({ polledAtMs: atMs });
}

export function setSwitchoverHistory(switchovers: readonly SwitchoverEntry[]): void {
  dashboardStore.setState({ switchovers, switchoversProblem: null });
}

export function setSwitchoverHistoryProblem(problem: string): void {
  dashboardStore.setState({ switchoversProblem: problem });
}
