import { memo, useCallback, useRef, useState, type KeyboardEvent, type MouseEvent, type RefObject } from 'react';
import type { AlarmStatus, TagInfo } from '../../../../shared/protocol/entities.js';
import { markerForState, PriorityMarker, STATE_LABEL } from '../common/alarm-badges.js';
import { formatDateTime, formatValue } from '../common/format.js';
import { VirtualList } from '../common/virtual-list.js';
import { rowsPerPage } from '../common/virtual-window.js';
import type { AlarmSort, AlarmSortKey } from './alarm-query.js';
import { alarmViewStore, setSelection, sortAlarmsBy } from './alarm-view-store.js';
import { clickSelect, EMPTY_SELECTION, moveFocus, selectAll, type Selection } from './selection.js';

const ROW_HEIGHT_PX = 24;

const COLUMNS: readonly { key: AlarmSortKey; label: string }[] = [
  { key: 'time', label: 'Time' },
  { key: 'priority', label: 'Priority' },
  { key: 'state', label: 'State' },
  { key: 'tag', label: 'Tag' },
  { key: 'text', label: 'Text' },
  { key: 'value', label: 'Value' },
  { key: 'ackUser', label: 'Ack user' },
];

export interface AlarmTableProps {
  rows: readonly AlarmStatus[];
  rowIds: readonly string[];
  tags: ReadonlyMap<string, TagInfo>;
  sort: AlarmSort;
  selection: Selection;
  /** Changes when the filters change, to show the new result from its top. */
  filterKey: string;
  listRef: RefObject<HTMLDivElement | null>;
}

export function AlarmTable({ rows, rowIds, tags, sort, selection, filterKey, listRef }: AlarmTableProps) {
  const [revealToken, setRevealToken] = useState(0);
  // Read at click time, so the handler stays the same and live updates re-render only changed rows.
  const shownIds = useRef(rowIds);
  shownIds.current = rowIds;
  const onRowClick = useCallback((id: string, event: MouseEvent) => {
    const held = alarmViewStore.getState().selection;
    const modifiers = { shift: event.shiftKey, toggle: event.ctrlKey || event.metaKey };
    setSelection(clickSelect(held, shownIds.current, id, modifiers));
  }, []);

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>, viewportPx: number) => {
    const page = rowsPerPage(ROW_HEIGHT_PX, viewportPx);
    const moves: Record<string, number> = { ArrowDown: 1, ArrowUp: -1, PageDown: page, PageUp: -page, Home: -Infinity, End: Infinity };
    const delta = moves[event.key];
    if (delta !== undefined) {
      event.preventDefault();
      const bounded = Number.isFinite(delta) ? delta : Math.sign(delta) * rowIds.length;
      setSelection(moveFocus(selection, rowIds, bounded, event.shiftKey));
      setRevealToken((token) => token + 1);
    } else if (event.key === 'a' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      setSelection(selectAll(rowIds));
    } else if (event.key === 'Escape') {
      setSelection(EMPTY_SELECTION);
    }
  };

  const focusIndex = selection.focusId === null ? null : rowIds.indexOf(selection.focusId);

  return (
    <div className="table alarm-table">
      <div className="table-head" role="row">
        {COLUMNS.map((column) => (
          <button
            key={column.key}
            type="button"
            className={`th${sort.key === column.key ? ' sorted' : ''}`}
            aria-sort={sort.key === column.key ? (sort.descending ? 'descending' : 'ascending') : 'none'}
            onClick={() => sortAlarmsBy(column.key)}
          >
            {column.label}
            {sort.key === column.key ? <span className="sort-mark">{sort.descending ? ' ▼' : ' ▲'}</span> : null}
          </button>
        ))}
      </div>
      <VirtualList
        items={rows}
        rowHeightPx={ROW_HEIGHT_PX}
        itemKey={alarmKey}
        label="Alarms"
        revealIndex={focusIndex === -1 ? null : focusIndex}
        revealToken={revealToken}
        elementRef={listRef}
        holdPosition
        resetKey={`${sort.key}:${sort.descending}:${filterKey}`}
        onKeyDown={onKeyDown}
        empty="No alarm matches the filters."
        renderRow={(alarm) => (
          <AlarmRow
            key={alarm.alarmId}
            alarm={alarm}
            tag={tags.get(alarm.tag)}
            selected={selection.ids.has(alarm.alarmId)}
            focused={selection.focusId === alarm.alarmId}
            onClick={onRowClick}
          />
        )}
      />
    </div>
  );
}

const alarmKey = (alarm: AlarmStatus) => alarm.alarmId;

interface AlarmRowProps {
  alarm: AlarmStatus;
  tag: TagInfo | undefined;
  selected: boolean;
  focused: boolean;
  onClick(id: string, event: MouseEvent): void;
}

const AlarmRow = memo(function AlarmRow({ alarm, tag, selected, focused, onClick }: AlarmRowProps) {
  return (
    <div
      className={`tr alarm-row state-${alarm.state}${selected ? ' selected' : ''}${focused ? ' focused' : ''}`}
      role="row"
      aria-selected={selected}
      data-testid="alarm-row"
      data-alarm-id={alarm.alarmId}
      data-state={alarm.state}
      onClick={(event) => onClick(alarm.alarmId, event)}
    >
      <span className="td num">{formatDateTime(alarm.activeSince ?? alarm.since)}</span>
      <span className="td">
        <PriorityMarker priority={alarm.priority} {...markerForState(alarm.state)} />
      </span>
      <span className="td">{STATE_LABEL[alarm.state]}</span>
      <span className="td" title={alarm.tag}>{alarm.tag}</span>
      <span className="td" title={alarm.text}>{alarm.text}</span>
      <span className="td num right">{formatValue(alarm.value, tag?.type ?? 'number', tag?.unit)}</span>
      <span className="td" title={alarm.ackComment ?? undefined}>{alarm.ackUser ?? ''}</span>
    </div>
  );
});
