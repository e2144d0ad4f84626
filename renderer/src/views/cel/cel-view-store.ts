import { createStore } from 'zustand/vanilla';
import { useStore } from 'zustand';
import { CelResponse } from '../../../../shared/protocol/api.js';
import type { CelEntry } from '../../../../shared/protocol/entities.js';
import { mergeCel } from '../../stores/cel-merge.js';
import { projectStore } from '../../stores/project-store.js';
import { errorText, getJson } from '../../transport/http.js';
import { celQueryString, EMPTY_CEL_FILTER, needsServerQuery, olderCursor, type CelFilter } from './cel-query.js';

/** Paged-in entries are capped too; past this the operator narrows the filter instead. */
export const CEL_LOADED_MAX = 20_000;

export interface CelViewState {
  filter: CelFilter;
  /** Entries fetched over HTTP for the current filter, newest first. */
  loaded: readonly CelEntry[];
  /** The server's cursor for the next older page; undefined before the first page, null at the end. */
  cursor: number | null | undefined;
  loading: boolean;
  error: string | null;
}

function initialCelViewState(): CelViewState {
  return { filter: EMPTY_CEL_FILTER, loaded: [], cursor: undefined, loading: false, error: null };
}

export const celViewStore = createStore<CelViewState>()(initialCelViewState);

export function useCelView<T>(selector: (state: CelViewState) => T): T {
  return useStore(celViewStore, selector);
}

let generation = 0;
let inFlight: AbortController | null = null;

export function resetCelViewStore(): void {
  inFlight?.abort();
  generation++;
  celViewStore.setState(initialCelViewState(), true);
}

/** A new filter starts a new result set: pages fetched for the old one would leave holes. */
export function setCelFilter(patch: Partial<CelFilter>): void {
  inFlight?.abort();
  generation++;
  celViewStore.setState({ filter: { ...celViewStore.getState().filter, ...patch }, loaded: [], cursor: undefined, loading: false, error: null });
}

/** The first page of a server-side search (text or time filter). */
export function runCelSearch(): Promise<void> {
  if (!needsServerQuery(celViewStore.getState().filter)) return Promise.resolve();
  return fetchPage(null);
}

export function loadOlderCel(): Promise<void> {
  const { loaded, cursor, filter } = celViewStore.getState();
  if (cursor === null || loaded.length >= CEL_LOADED_MAX) return Promise.resolve();
  const live = needsServerQuery(filter) ? [] : projectStore.getState().cel;
  return fetchPage(olderCursor(live, loaded, cursor));
}

async function fetchPage(before: number | null): Promise<void> {
  const projectId = projectStore.getState().projectId;
  if (projectId === null) return;
  inFlight?.abort();
  const controller = new AbortController();
  inFlight = controller;
  const mine = generation;
  celViewStore.setState({ loading: true, error: null });
  const query = celQueryString(celViewStore.getState().filter, before);
  try {
    const page = await getJson(`/api/projects/${encodeURIComponent(projectId)}/cel?${query}`, CelResponse, controller.signal);
    if (mine !== generation) return;
    celViewStore.setState({
      loaded: mergeCel(celViewStore.getState().loaded, page.entries, CEL_LOADED_MAX),
      cursor: page.next,
      loading: false,
    });
  } catch (error) {
    if (mine !== generation || controller.signal.aborted) return;
    celViewStore.setState({ loading: false, error: errorText(error) });
  } finally {
    if (inFlight === controller) inFlight = null;
  }
}
