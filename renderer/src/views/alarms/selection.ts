/**
 * Row selection by alarm id, not by row index: the list re-sorts live, and a selection must keep
 * meaning the alarms the operator picked.
 */
export interface Selection {
  ids: ReadonlySet<string>;
  /** Where a Shift range starts. */
  anchorId: string | null;
  /** The row the keyboard is on. */
  focusId: string | null;
}

export const EMPTY_SELECTION: Selection = { ids: new Set(), anchorId: null, focusId: null };

export interface ClickModifiers {
  shift: boolean;
  toggle: boolean;
}

export function clickSelect(selection: Selection, rowIds: readonly string[], id: string, modifiers: ClickModifiers): Selection {
  if (modifiers.shift && selection.anchorId !== null) {
    const range = rangeIds(rowIds, selection.anchorId, id);
    if (range) return { ids: new Set(range), anchorId: selection.anchorId, focusId: id };
  }
  if (modifiers.toggle) {
    const ids = new Set(selection.ids);
    if (ids.has(id)) ids.delete(id);
    else ids.add(id);
    return { ids, anchorId: id, focusId: id };
  }
  return { ids: new Set([id]), anchorId: id, focusId: id };
}

/** Arrow keys: move by `delta` rows; with Shift, grow the range from the anchor. */
export function moveFocus(selection: Selection, rowIds: readonly string[], delta: number, extend: boolean): Selection {
  if (rowIds.length === 0) return selection;
  const at = selection.focusId === null ? -1 : rowIds.indexOf(selection.focusId);
  const target = at === -1 ? (delta >= 0 ? 0 : rowIds.length - 1) : clamp(at + delta, 0, rowIds.length - 1);
  const id = rowIds[target]!;
  return clickSelect(selection, rowIds, id, { shift: extend, toggle: false });
}

export function selectAll(rowIds: readonly string[]): Selection {
  return { ids: new Set(rowIds), anchorId: rowIds[0] ?? null, focusId: rowIds[rowIds.length - 1] ?? null };
}

/** The selected ids still shown, in row order: commands act on what the operator can see. */
export function visibleSelected(selection: Selection, rowIds: readonly string[]): string[] {
  if (selection.ids.size === 0) return [];
  return rowIds.filter((id) => selection.ids.has(id));
}

function rangeIds(rowIds: readonly string[], fromId: string, toId: string): string[] | null {
  const from = rowIds.indexOf(fromId);
  const to = rowIds.indexOf(toId);
  if (from === -1 || to === -1) return null;
  return rowIds.slice(Math.min(from, to), Math.max(from, to) + 1);
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(Math.max(value, min), max);
}
