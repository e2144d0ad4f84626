import { createStore } from 'zustand/vanilla';
import { useStore } from 'zustand';

export const RANGE_PRESETS = [
  { id: '5m', label: '5 min', ms: 5 * 60_000 },
  { id: '1h', label: '1 h', ms: 3_600_000 },
  { id: '8h', label: '8 h', ms: 8 * 3_600_000 },
  { id: '24h', label: '24 h', ms: 24 * 3_600_000 },
] as const;
export type RangePresetId = (typeof RANGE_PRESETS)[number]['id'];

/** Pens per chart: more lines than this cannot be told apart. */
export const TREND_TAGS_MAX = 8;

export interface TimeRange {
  from: number;
  to: number;
}

export interface TrendViewState {
  tags: readonly string[];
  preset: RangePresetId;
  /** A range picked by dragging on the chart; null while the chart follows live data. */
  zoom: TimeRange | null;
  band: boolean;
  search: string;
}

function initialTrendViewState(): TrendViewState {
  return { tags: [], preset: '5m', zoom: null, band: false, search: '' };
}

export const trendViewStore = createStore<TrendViewState>()(initialTrendViewState);

export function useTrendView<T>(selector: (state: TrendViewState) => T): T {
  return useStore(trendViewStore, selector);
}

export function resetTrendViewStore(): void {
  trendViewStore.setState(initialTrendViewState(), true);
}

export function presetMs(preset: RangePresetId): number {
  return RANGE_PRESETS.find((p) => p.id === preset)!.ms;
}

export function toggleTrendTag(tag: string): void {
  const held = trendViewStore.getState().tags;
  if (held.includes(tag)) trendViewStore.setState({ tags: held.filter((t) => t !== tag) });
  else if (held.length < TREND_TAGS_MAX) trendViewStore.setState({ tags: [...held, tag] });
}

export function setTrendPreset(preset: RangePresetId): void {
  trendViewStore.setState({ preset, zoom: null });
}

export function zoomTrend(range: TimeRange | null): void {
  trendViewStore.setState({ zoom: range });
}

export function setTrendBand(band: boolean): void {
  trendViewStore.setState({ band });
}

export function setTrendSearch(search: string): void {
  trendViewStore.setState({ search });
}
