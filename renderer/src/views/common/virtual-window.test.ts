import { describe, expect, it } from 'vitest';
import { revealScrollTop, virtualWindow } from './virtual-window.js';

describe('virtualWindow', () => {
  it('renders only the rows in view plus overscan, however long the list', () => {
    const w = virtualWindow(10_000, 24, 24 * 5_000, 480, 8);
    expect(w).toEqual({ start: 4_992, end: 5_029, offsetPx: 4_992 * 24, totalPx: 240_000 });
    expect(w.end - w.start).toBeLessThan(40);
  });

  it('starts at the top and does not run past the end', () => {
    expect(virtualWindow(5, 24, 0, 480, 8)).toMatchObject({ start: 0, end: 5 });
    expect(virtualWindow(100, 24, 99_999, 480, 0)).toMatchObject({ start: 80, end: 100 });
  });

  it('renders nothing for an empty list', () => {
    expect(virtualWindow(0, 24, 0, 480)).toEqual({ start: 0, end: 0, offsetPx: 0, totalPx: 0 });
  });
});

describe('revealScrollTop', () => {
  it('leaves the scroll alone when the row is in view', () => {
    expect(revealScrollTop(3, 24, 0, 240)).toBe(0);
  });

  it('scrolls up to a row above the view and down just enough for a row below it', () => {
    expect(revealScrollTop(2, 24, 240, 240)).toBe(48);
    expect(revealScrollTop(20, 24, 0, 240)).toBe(21 * 24 - 240);
  });
});
