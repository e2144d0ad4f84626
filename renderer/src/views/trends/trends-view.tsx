import { useEffect, useMemo } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useProject, type ProjectState } from '../../stores/project-store.js';
import { formatDateTime } from '../common/format.js';
import { TagPicker } from './tag-picker.js';
import { TrendChart } from './trend-chart.js';
import { PEN_COLORS, type TrendPen } from './trend-plot-options.js';
import {
  RANGE_PRESETS,
  setTrendBand,
  setTrendPreset,
  toggleTrendTag,
  trendViewStore,
  useTrendView,
  zoomTrend,
  type TrendViewState,
} from './trend-view-store.js';

const selectTags = (s: ProjectState) => ({ tags: s.tags, tagIds: s.tagIds, projectId: s.projectId });
const selectView = (s: TrendViewState) => ({ tags: s.tags, preset: s.preset, zoom: s.zoom, band: s.band, search: s.search });

export function TrendsView() {
  const project = useProject(useShallow(selectTags));
  const view = useTrendView(useShallow(selectView));
  useTagsFromHash();

  const pens = useMemo<TrendPen[]>(
    () =>
      view.tags.map((tag, i) => {
        const unit = project.tags.get(tag)?.unit ?? '';
        return { tag, label: unit ? `${tag} [${unit}]` : tag, unit, color: PEN_COLORS[i % PEN_COLORS.length]! };
      }),
    [view.tags, project.tags],
  );

  return (
    <section className="view trends-view" aria-label="Trends">
      <TagPicker tags={project.tags} tagIds={project.tagIds} selected={view.tags} search={view.search} />
      <div className="trend-main">
        <div className="toolbar">
          <span className="segmented" role="group" aria-label="Time range">
            {RANGE_PRESETS.map((preset) => (
              <button
                key={preset.id}
                type="button"
                aria-pressed={view.zoom === null && view.preset === preset.id}
                onClick={() => setTrendPreset(preset.id)}
              >
                {preset.label}
              </button>
            ))}
          </span>
          {view.zoom ? (
            <>
              <span className="muted">
                {formatDateTime(view.zoom.from)} – {formatDateTime(view.zoom.to)}
              </span>
              <button type="button" onClick={() => zoomTrend(null)}>
                Back to live
              </button>
            </>
          ) : (
            <span className="muted">Live · drag on the chart to zoom, double-click to return</span>
          )}
          <span className="spacer" />
          <label className="field">
            <input type="checkbox" checked={view.band} onChange={(event) => setTrendBand(event.target.checked)} />
            Min/max band
          </label>
        </div>
        {project.projectId ? (
          <TrendChart projectId={project.projectId} pens={pens} band={view.band} preset={view.preset} zoom={view.zoom} />
        ) : null}
      </div>
    </section>
  );
}

/** `#/trends?tags=A,B` opens the trend with those tags, so a link or a test can go straight to it. */
function useTagsFromHash(): void {
  useEffect(() => {
    const query = window.location.hash.split('?')[1];
    const wanted = new URLSearchParams(query ?? '').get('tags');
    if (!wanted) return;
    const held = trendViewStore.getState().tags;
    for (const tag of wanted.split(',').filter(Boolean)) if (!held.includes(tag)) toggleTrendTag(tag);
  }, []);
}
