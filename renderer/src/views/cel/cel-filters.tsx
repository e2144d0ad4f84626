import type { CelKind } from '../../../../shared/protocol/entities.js';
import type { CelFilter } from './cel-query.js';
import { setCelFilter } from './cel-view-store.js';

const KINDS: readonly { value: CelKind | 'all'; label: string }[] = [
  { value: 'all', label: 'All kinds' },
  { value: 'alarm', label: 'Alarm' },
  { value: 'operator', label: 'Operator' },
  { value: 'system', label: 'System' },
];

export function CelFilters({ filter }: { filter: CelFilter }) {
  return (
    <>
      <input
        className="filter"
        type="search"
        placeholder="Search events"
        title="Searches text, alarm, tag and user in the whole event list"
        aria-label="Search events"
        value={filter.text}
        maxLength={200}
        onChange={(event) => setCelFilter({ text: event.target.value })}
      />
      <select aria-label="Event kind" value={filter.kind} onChange={(event) => setCelFilter({ kind: event.target.value as CelKind | 'all' })}>
        {KINDS.map((kind) => (
          <option key={kind.value} value={kind.value}>
            {kind.label}
          </option>
        ))}
      </select>
      <label className="field">
        From
        <input type="datetime-local" step={1} value={filter.from} onChange={(event) => setCelFilter({ from: event.target.value })} />
      </label>
      <label className="field">
        To
        <input type="datetime-local" step={1} value={filter.to} onChange={(event) => setCelFilter({ to: event.target.value })} />
      </label>
      <button type="button" onClick={() => setCelFilter({ kind: 'all', text: '', from: '', to: '' })}>
        Clear
      </button>
    </>
  );
}
