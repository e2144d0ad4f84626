import { useEffect, useMemo, useRef } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { AlarmStatus } from '../../../../shared/protocol/entities.js';
import { isUnacknowledgedState } from '../../stores/alarm-counts.js';
import { useProject, type ProjectState } from '../../stores/project-store.js';
import { isTypingTarget } from '../common/keyboard.js';
import { acknowledgeAlarms, shelveAlarms, unshelveAlarms } from './alarm-commands.js';
import { queryAlarms } from './alarm-query.js';
import { AlarmTable } from './alarm-table.js';
import { AlarmToolbar } from './alarm-toolbar.js';
import { setConfirmAckAll, setShelving, useAlarmView, type AlarmViewState } from './alarm-view-store.js';
import { ShelvePanel } from './shelve-panel.js';

const selectAlarmData = (s: ProjectState) => ({ alarms: s.alarms, tags: s.tags, projectId: s.projectId });
const selectView = (s: AlarmViewState) => ({
  text: s.text,
  priorities: s.priorities,
  state: s.state,
  sort: s.sort,
  selection: s.selection,
  shelving: s.shelving,
  confirmAckAll: s.confirmAckAll,
});

const ids = (alarms: readonly AlarmStatus[]) => alarms.map((alarm) => alarm.alarmId);
const unacknowledged = (alarm: AlarmStatus) => isUnacknowledgedState(alarm.state);

export function AlarmListView() {
  const { alarms, tags, projectId } = useProject(useShallow(selectAlarmData));
  const view = useAlarmView(useShallow(selectView));
  const { text, priorities, state, sort, selection } = view;
  const filterRef = useRef<HTMLInputElement>(null);
  const listRef = useRef<HTMLDivElement>(null);
  const backToList = () => listRef.current?.focus();

  const rows = useMemo(
    () => queryAlarms(alarms.values(), { text, priorities, state }, sort),
    [alarms, text, priorities, state, sort],
  );
  const rowIds = useMemo(() => ids(rows), [rows]);
  const selected = useMemo(() => rows.filter((alarm) => selection.ids.has(alarm.alarmId)), [rows, selection]);
  const selectedUnacknowledged = selected.filter(unacknowledged);
  const visibleUnacknowledged = useMemo(() => rows.filter(unacknowledged), [rows]);
  const selectedShelvable = selected.filter((alarm) => alarm.state !== 'shelved');
  const selectedShelved = selected.filter((alarm) => alarm.state === 'shelved');

  const actions = {
    acknowledgeSelected: () => {
      if (projectId && selectedUnacknowledged.length > 0) void acknowledgeAlarms(projectId, ids(selectedUnacknowledged));
    },
    acknowledgeVisible: () => {
      setConfirmAckAll(false);
      backToList();
      if (projectId && visibleUnacknowledged.length > 0) void acknowledgeAlarms(projectId, ids(visibleUnacknowledged));
    },
    shelve: () => {
      if (selectedShelvable.length > 0) setShelving(true);
    },
    unshelve: () => {
      if (projectId && selectedShelved.length > 0) void unshelveAlarms(projectId, ids(selectedShelved));
    },
    confirmAcknowledgeVisible: () => {
      if (visibleUnacknowledged.length > 0) setConfirmAckAll(true);
    },
  };
  // Key handlers registered once read the actions of the latest render.
  const latest = useRef(actions);
  latest.current = actions;

  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.ctrlKey || event.metaKey || event.altKey || isTypingTarget(event.target)) return;
      if (event.key === '/') {
        event.preventDefault();
        filterRef.current?.focus();
      } else if (event.key === 'a') {
        latest.current.acknowledgeSelected();
      } else if (event.key === 'A') {
        latest.current.confirmAcknowledgeVisible();
      } else if (event.key === 's' || event.key === 'S') {
        event.preventDefault();
        latest.current.shelve();
      }
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, []);

  return (
    <section className="view alarm-view" aria-label="Alarm list">
      <AlarmToolbar
        filterRef={filterRef}
        shown={rows.length}
        total={alarms.size}
        selectedUnacknowledged={selectedUnacknowledged.length}
        visibleUnacknowledged={visibleUnacknowledged.length}
        selectedShelvable={selectedShelvable.length}
        selectedShelved={selectedShelved.length}
        onAcknowledgeSelected={actions.acknowledgeSelected}
        onAcknowledgeVisible={actions.acknowledgeVisible}
        onShelve={actions.shelve}
        onUnshelve={actions.unshelve}
      />
      {view.confirmAckAll ? (
        <div
          className="inline-panel"
          role="alertdialog"
          aria-label="Confirm acknowledgement"
          onKeyDown={(event) => {
            if (event.key === 'Escape') {
              setConfirmAckAll(false);
              backToList();
            }
          }}
        >
          <span>Acknowledge all {visibleUnacknowledged.length} unacknowledged alarms the filters show?</span>
          <button type="button" autoFocus onClick={actions.acknowledgeVisible}>
            Acknowledge {visibleUnacknowledged.length}
          </button>
          <button
            type="button"
            onClick={() => {
              setConfirmAckAll(false);
              backToList();
            }}
          >
            Cancel
          </button>
        </div>
      ) : null}
      {view.shelving ? (
        <ShelvePanel
          count={selectedShelvable.length}
          onCancel={() => {
            setShelving(false);
            backToList();
          }}
          onShelve={(durationMs, comment) => {
            setShelving(false);
            backToList();
            if (projectId) void shelveAlarms(projectId, ids(selectedShelvable), durationMs, comment);
          }}
        />
      ) : null}
      <AlarmTable
        rows={rows}
        rowIds={rowIds}
        tags={tags}
        sort={sort}
        selection={selection}
        filterKey={`${text}|${[...priorities].join()}|${state}`}
        listRef={listRef}
      />
    </section>
  );
}
