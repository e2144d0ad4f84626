import { createStore } from 'zustand/vanilla';
import { useStore } from 'zustand';
import type { DrillReport } from './drill-report.js';

/**
 * The drill outlives the view: an engineer may look at the alarms while it runs and come back to
 * its progress or report, and a second drill cannot start while one runs.
 */
export interface DrillState {
  /** What the running drill is doing now; null while none runs. */
  progress: string | null;
  /** The latest drill's report, kept until the next drill starts. */
  report: DrillReport | null;
}

export const drillStore = createStore<DrillState>()(() => ({ progress: null, report: null }));

export function useDrill<T>(selector: (state: DrillState) => T): T {
  return useStore(drillStore, selector);
}

export function resetDrillStore(): void {
  drillStore.setState({ progress: null, report: null }, true);
}

export function drillStarted(): void {
  drillStore.setState({ progress: 'Starting…', report: null });
}

export function drillProgress(progress: string): void {
  drillStore.setState({ progress });
}

export function drillFinished(report: DrillReport): void {
  drillStore.setState({ progress: null, report });
}
