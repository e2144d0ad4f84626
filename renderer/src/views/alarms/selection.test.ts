import { describe, expect, it } from 'vitest';
import { clickSelect, EMPTY_SELECTION, moveFocus, visibleSelected } from './selection.js';

const rows = ['a', 'b', 'c', 'd', 'e'];
const plain = { shift: false, toggle: false };
const selectedOf = (s: { ids: ReadonlySet<string> }) => [...s.ids].sort();

describe('selection', () => {
  it('selects one row on click and a range on Shift-click', () => {
    const one = clickSelect(EMPTY_SELECTION, rows, 'b', plain);
    expect(selectedOf(one)).toEqual(['b']);
    const range = clickSelect(one, rows, 'd', { shift: true, toggle: false });
    expect(selectedOf(range)).toEqual(['b', 'c', 'd']);
    const shrunk = clickSelect(range, rows, 'a', { shift: true, toggle: false });
    expect(selectedOf(shrunk)).toEqual(['a', 'b']);
  });

  it('adds and removes single rows with Ctrl-click', () => {
    const one = clickSelect(EMPTY_SELECTION, rows, 'a', plain);
    const two = clickSelect(one, rows, 'c', { shift: false, toggle: true });
    expect(selectedOf(two)).toEqual(['a', 'c']);
    expect(selectedOf(clickSelect(two, rows, 'a', { shift: false, toggle: true }))).toEqual(['c']);
  });

  it('moves with the arrows and extends with Shift+arrows, stopping at the ends', () => {
    const first = moveFocus(EMPTY_SELECTION, rows, 1, false);
    expect(selectedOf(first)).toEqual(['a']);
    const extended = moveFocus(moveFocus(first, rows, 1, true), rows, 1, true);
    expect(selectedOf(extended)).toEqual(['a', 'b', 'c']);
    expect(selectedOf(moveFocus(extended, rows, 99, false))).toEqual(['e']);
  });

  it('keeps meaning the same alarms when the rows re-sort', () => {
    const picked = clickSelect(clickSelect(EMPTY_SELECTION, rows, 'b', plain), rows, 'c', { shift: true, toggle: false });
    expect(visibleSelected(picked, ['e', 'c', 'a', 'b'])).toEqual(['c', 'b']);
    expect(visibleSelected(picked, ['a', 'e'])).toEqual([]);
  });
});
