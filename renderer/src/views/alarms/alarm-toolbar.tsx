import type { RefObject } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { PRIORITIES } from '../../stores/alarm-counts.js';
import { PRIORITY_LABEL } from '../common/alarm-badges.js';
import { STATE_FILTER_LABEL, type StateFilter } from './alarm-query.js';
import { useGate } from '../../stores/auth-store.js';
import { setAlarmText, setStateFilter, togglePriority, useAlarmView, type AlarmViewState } from './alarm-view-store.js';

const selectFilters = (s: AlarmViewState) => ({ text: s.text, priorities: s.priorities, state: s.state });

export interface AlarmToolbarProps {
  filterRef: RefObject<HTMLInputElement | null>;
  shown: number;
  total: number;
  selectedUnacknowledged: number;
  visibleUnacknowledged: number;
  selectedShelvable: number;
  selectedShelved: number;
  onAcknowledgeSelected(): void;
  onAcknowledgeVisible(): void;
  onShelve(): void;
  onUnshelve(): void;
}

export function AlarmToolbar(props: AlarmToolbarProps) {
  const gate = useGate('operate');
  const filters = useAlarmView(useShallow(selectFilters));
  return (
    <div className="toolbar">
      <input
        ref={props.filterRef}
        className="filter"
        type="search"
        placeholder="Filter tag, text, user  ( / )"
        aria-label="Filter alarms"
        value={filters.text}
        onChange={(event) => setAlarmText(event.target.value)}
        onKeyDown={(event) => {
          if (event.key === 'Escape') event.currentTarget.blur();
        }}
      />
      <span className="chips" role="group" aria-label="Priorities shown">
        {PRIORITIES.map((priority) => (
          <label key={priority} className={`chip chip-${priority}`}>
            <input type="checkbox" checked={filters.priorities.has(priority)} onChange={() => togglePriority(priority)} />
            {PRIORITY_LABEL[priority]}
          </label>
        ))}
      </span>
      <select
        aria-label="States shown"
        value={filters.state}
        onChange={(event) => setStateFilter(event.target.value as StateFilter)}
      >
        {Object.entries(STATE_FILTER_LABEL).map(([value, label]) => (
          <option key={value} value={value}>
            {label}
          </option>
        ))}
      </select>
      <span className="count">
        {props.shown} of {props.total}
      </span>
      <span className="spacer" />
      <button
        type="button"
        data-testid="ack-selected"
        disabled={props.selectedUnacknowledged === 0 || gate.disabled}
        title={gate.why ?? 'Acknowledge the selected alarms (A)'}
        onClick={props.onAcknowledgeSelected}
      >
        Acknowledge{props.selectedUnacknowledged > 0 ? ` (${props.selectedUnacknowledged})` : ''}
      </button>
      <button
        type="button"
        data-testid="ack-all-visible"
        disabled={props.visibleUnacknowledged === 0 || gate.disabled}
        title={gate.why ?? 'Acknowledge every unacknowledged alarm the filters show (Shift+A)'}
        onClick={props.onAcknowledgeVisible}
      >
        Acknowledge all visible ({props.visibleUnacknowledged})
      </button>
      <button type="button" disabled={props.selectedShelvable === 0 || gate.disabled} title={gate.why ?? 'Shelve the selected alarms (S)'} onClick={props.onShelve}>
        Shelve…
      </button>
      <button type="button" disabled={props.selectedShelved === 0 || gate.disabled} title={gate.why ?? undefined} onClick={props.onUnshelve}>
        Unshelve
      </button>
    </div>
  );
}
