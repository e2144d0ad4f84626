import { createStore } from 'zustand/vanilla';
import { useStore } from 'zustand';
import type { AlarmPriority } from '../../../../shared/protocol/entities.js';
import { PRIORITIES } from '../../stores/alarm-counts.js';
import { nextSort, type AlarmSort, type AlarmSortKey, type StateFilter } from './alarm-query.js';
import { EMPTY_SELECTION, type Selection } from './selection.js';

/** The alarm list's filters, order and selection; kept outside the view so they survive tab changes. */
export interface AlarmViewState {
  text: string;
  priorities: ReadonlySet<AlarmPriority>;
  state: StateFilter;
  sort: AlarmSort;
  selection: Selection;
  /** Open while the operator picks a shelving duration. */
  shelving: boolean;
  /** Set when "acknowledge all visible" waits for a confirmation. */
  confirmAckAll: boolean;
}

function initialAlarmViewState(): AlarmViewState {
  return {
    text: '',
    priorities: new Set(PRIORITIES),
    state: 'standing',
    sort: { key: 'time', descending: true },
    selection: EMPTY_SELECTION,
    shelving: false,
    confirmAckAll: false,
  };
}

export const alarmViewStore = createStore<AlarmViewState>()(initialAlarmViewState);

export function useAlarmView<T>(selector: (state: AlarmViewState) => T): T {
  return useStore(alarmViewStore, selector);
}

export function resetAlarmViewStore(): void {
  alarmViewStore.setState(initialAlarmViewState(), true);
}

export function setAlarmText(text: string): void {
  alarmViewStore.setState({ text });
}

export function togglePriority(priority: AlarmPriority): void {
  const priorities = new Set(alarmViewStore.getState().priorities);
  if (priorities.has(priority)) priorities.delete(priority);
  else priorities.add(priority);
  alarmViewStore.setState({ priorities });
}

export function setStateFilter(state: StateFilter): void {
  alarmViewStore.setState({ state });
}

export function sortAlarmsBy(key: AlarmSortKey): void {
  alarmViewStore.setState({ sort: nextSort(alarmViewStore.getState().sort, key) });
}

export function setSelection(selection: Selection): void {
  alarmViewStore.setState({ selection });
}

export function setShelving(shelving: boolean): void {
  alarmViewStore.setState({ shelving, confirmAckAll: false });
}

export function setConfirmAckAll(confirmAckAll: boolean): void {
  alarmViewStore.setState({ confirmAckAll, shelving: false });
}
