import { memo, useEffect, useMemo } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { AlarmStatus, CelEntry } from '../../../../shared/protocol/entities.js';
import { useProject, type ProjectState } from '../../stores/project-store.js';
import { PriorityMarker, STATE_LABEL } from '../common/alarm-badges.js';
import { formatDateTimeMs } from '../common/format.js';
import { VirtualList } from '../common/virtual-list.js';
import { CelFilters } from './cel-filters.js';
import { needsServerQuery, shownCel } from './cel-query.js';
import { CEL_LOADED_MAX, loadOlderCel, runCelSearch, useCelView, type CelViewState } from './cel-view-store.js';

const ROW_HEIGHT_PX = 24;
const SEARCH_DELAY_MS = 300;

const selectLive = (s: ProjectState) => ({ cel: s.cel, alarms: s.alarms });
const selectView = (s: CelViewState) => ({
  filter: s.filter,
  loaded: s.loaded,
  cursor: s.cursor,
  loading: s.loading,
  error: s.error,
});

export function CelView() {
  const live = useProject(useShallow(selectLive));
  const view = useCelView(useShallow(selectView));
  const serverQuery = needsServerQuery(view.filter);

  useEffect(() => {
    if (!serverQuery) return;
    const timer = setTimeout(() => void runCelSearch(), SEARCH_DELAY_MS);
    return () => clearTimeout(timer);
  }, [view.filter, serverQuery]);

  const rows = useMemo(() => shownCel(live.cel, view.loaded, view.filter), [live.cel, view.loaded, view.filter]);
  const canLoadOlder = view.cursor !== null && view.loaded.length < CEL_LOADED_MAX;

  return (
    <section className="view cel-view" aria-label="Chronological event list">
      <div className="toolbar">
        <CelFilters filter={view.filter} />
        <span className="count">
          {rows.length} shown{serverQuery ? ' (server search)' : ''}
        </span>
        {view.loading ? <span className="muted">Loading…</span> : null}
        {view.error ? <span className="error-text">{view.error}</span> : null}
        <span className="spacer" />
        <button type="button" disabled={!canLoadOlder || view.loading} onClick={() => void loadOlderCel()}>
          Load older
        </button>
      </div>
      <div className="table cel-table">
        <div className="table-head" role="row">
          {['Time', 'Kind', 'Node', 'User', 'Tag', 'State', 'Text'].map((label) => (
            <span key={label} className="th">
              {label}
            </span>
          ))}
        </div>
        <VirtualList
          items={rows}
          rowHeightPx={ROW_HEIGHT_PX}
          itemKey={celKey}
          label="Events"
          holdPosition
          resetKey={JSON.stringify(view.filter)}
          empty={view.loading ? 'Loading…' : 'No event matches the filters.'}
          renderRow={(entry) => <CelRow key={entry.id} entry={entry} alarm={entry.alarmId ? live.alarms.get(entry.alarmId) : undefined} />}
        />
      </div>
    </section>
  );
}

const celKey = (entry: CelEntry) => entry.id;

const CelRow = memo(function CelRow({ entry, alarm }: { entry: CelEntry; alarm: AlarmStatus | undefined }) {
  return (
    <div className={`tr cel-row kind-${entry.kind}`} role="row" data-testid="cel-row" data-kind={entry.kind} data-seq={entry.seq} data-id={entry.id}>
      <span className="td num">{formatDateTimeMs(entry.t)}</span>
      <span className="td prio-cell">
        {entry.kind === 'alarm' && alarm ? (
          <PriorityMarker priority={alarm.priority} muted={entry.state === 'normal'} label={false} />
        ) : (
          <span className="prio-space" />
        )}
        <span>{entry.kind}</span>
      </span>
      <span className="td">{entry.node}</span>
      <span className="td">{entry.user ?? ''}</span>
      <span className="td" title={entry.tag ?? undefined}>{entry.tag ?? ''}</span>
      <span className="td">{entry.state ? STATE_LABEL[entry.state] : ''}</span>
      <span className="td" title={entry.text}>{entry.text}</span>
    </div>
  );
});
