import { useMemo } from 'react';
import type { TagInfo } from '../../../../shared/protocol/entities.js';
import { VirtualList } from '../common/virtual-list.js';
import { setTrendSearch, toggleTrendTag, TREND_TAGS_MAX } from './trend-view-store.js';

const ROW_HEIGHT_PX = 24;

export interface TagPickerProps {
  tags: ReadonlyMap<string, TagInfo>;
  tagIds: readonly string[];
  selected: readonly string[];
  search: string;
}

/** Number tags only: a trend of an on/off signal says little a state display does not. */
export function TagPicker({ tags, tagIds, selected, search }: TagPickerProps) {
  const candidates = useMemo(() => {
    const needle = search.trim().toLowerCase();
    return tagIds
      .map((id) => tags.get(id)!)
      .filter((tag) => tag.type === 'number')
      .filter((tag) => !needle || tag.id.toLowerCase().includes(needle) || tag.description.toLowerCase().includes(needle));
  }, [tags, tagIds, search]);
  const full = selected.length >= TREND_TAGS_MAX;

  return (
    <div className="tag-picker">
      <input
        className="filter"
        type="search"
        placeholder="Search number tags"
        aria-label="Search tags to trend"
        value={search}
        onChange={(event) => setTrendSearch(event.target.value)}
      />
      <div className="muted small">
        {selected.length} of at most {TREND_TAGS_MAX} drawn
      </div>
      <VirtualList
        items={candidates}
        rowHeightPx={ROW_HEIGHT_PX}
        itemKey={(tag) => tag.id}
        label="Number tags"
        empty="No number tag matches."
        renderRow={(tag) => {
          const checked = selected.includes(tag.id);
          return (
            <label key={tag.id} className="pick-row" title={tag.description || tag.id} data-testid="trend-tag" data-tag={tag.id}>
              <input type="checkbox" checked={checked} disabled={!checked && full} onChange={() => toggleTrendTag(tag.id)} />
              <span className="pick-id">{tag.id}</span>
              {tag.unit ? <span className="muted">{tag.unit}</span> : null}
            </label>
          );
        }}
      />
    </div>
  );
}
