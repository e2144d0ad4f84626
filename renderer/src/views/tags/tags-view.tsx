import { memo, useMemo, useState } from 'react';
import { useGate } from '../../stores/auth-store.js';
import { useShallow } from 'zustand/react/shallow';
import type { Sample, TagInfo } from '../../../../shared/protocol/entities.js';
import { useProject, type ProjectState } from '../../stores/project-store.js';
import { formatDateTime, formatValue, QUALITY_LABEL } from '../common/format.js';
import { VirtualList } from '../common/virtual-list.js';
import { TagWritePanel } from './tag-write-panel.js';
import { useTagProblems } from './tag-problems.js';

const ROW_HEIGHT_PX = 24;

const selectTags = (s: ProjectState) => ({ tags: s.tags, tagIds: s.tagIds, values: s.values, projectId: s.projectId });

export function TagsView() {
  const { tags, tagIds, values, projectId } = useProject(useShallow(selectTags));
  const [search, setSearch] = useState('');
  const [writing, setWriting] = useState<string | null>(null);
  const problems = useTagProblems(projectId);
  const writingTag = writing === null ? undefined : tags.get(writing);
  const shown = useMemo(() => {
    const needle = search.trim().toLowerCase();
    const all = tagIds.map((id) => tags.get(id)!);
    if (!needle) return all;
    return all.filter(
      (tag) => tag.id.toLowerCase().includes(needle) || tag.description.toLowerCase().includes(needle) || tag.driver.toLowerCase().includes(needle),
    );
  }, [tags, tagIds, search]);

  return (
    <section className="view tags-view" aria-label="Tags">
      <div className="toolbar">
        <input
          className="filter"
          type="search"
          placeholder="Filter id, description, driver"
          aria-label="Filter tags"
          value={search}
          onChange={(event) => setSearch(event.target.value)}
        />
        <span className="count">
          {shown.length} of {tagIds.length}
        </span>
      </div>
      {writingTag && projectId ? (
        <TagWritePanel key={writingTag.id} projectId={projectId} tag={writingTag} current={values.get(writingTag.id)?.v ?? null} onClose={() => setWriting(null)} />
      ) : null}
      <div className="table tag-table">
        <div className="table-head" role="row">
          {['Tag', 'Description', 'Value', 'Quality', 'Time', 'Driver', ''].map((label) => (
            <span key={label} className={`th${label === 'Value' ? ' right' : ''}`}>
              {label}
            </span>
          ))}
        </div>
        <VirtualList
          items={shown}
          rowHeightPx={ROW_HEIGHT_PX}
          itemKey={tagKey}
          label="Tags"
          empty="No tag matches the filter."
          renderRow={(tag) => <TagRow key={tag.id} tag={tag} sample={values.get(tag.id)} problem={problems.get(tag.id) ?? null} onWrite={setWriting} />}
        />
      </div>
    </section>
  );
}

const tagKey = (tag: TagInfo) => tag.id;

const TagRow = memo(function TagRow({ tag, sample, problem, onWrite }: { tag: TagInfo; sample: Sample | undefined; problem: string | null; onWrite: (tagId: string) => void }) {
  const writeGate = useGate('engineer');
  const quality = sample?.q ?? null;
  const why = quality && quality !== 'good' ? problem : null;
  return (
    <div className={`tr tag-row${quality && quality !== 'good' ? ` q-${quality}` : ''}`} role="row" data-testid="tag-row" data-tag={tag.id}>
      <span className="td" title={tag.id}>{tag.id}</span>
      <span className="td" title={tag.description}>{tag.description}</span>
      <span className="td num right value">{formatValue(sample?.v ?? null, tag.type, tag.unit)}</span>
      <span className="td quality" title={why ?? undefined} data-testid="tag-quality">
        {quality ? QUALITY_LABEL[quality] : '—'}
        {why ? <span className="tag-problem"> — {why}</span> : null}
      </span>
      <span className="td num">{formatDateTime(sample?.t ?? null)}</span>
      <span className="td">{tag.driver}</span>
      <span className="td">
        {tag.writable ? (
          <button type="button" className="small" data-testid="tag-write" disabled={writeGate.disabled} title={writeGate.why ?? undefined} onClick={() => onWrite(tag.id)}>
            Write…
          </button>
        ) : null}
      </span>
    </div>
  );
});
