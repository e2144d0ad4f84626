import { describe, expect, it } from 'vitest';
import { celEntry } from '../../test/fixtures.js';
import { celQueryString, EMPTY_CEL_FILTER, needsServerQuery, olderCursor, shownCel } from './cel-query.js';

describe('CEL query', () => {
  it('runs text and time filters on the server, a kind filter alone on the entries held', () => {
    expect(needsServerQuery({ ...EMPTY_CEL_FILTER, kind: 'alarm' })).toBe(false);
    expect(needsServerQuery({ ...EMPTY_CEL_FILTER, text: 'pump' })).toBe(true);
    expect(needsServerQuery({ ...EMPTY_CEL_FILTER, from: '2025-01-01T00:00' })).toBe(true);
  });

  it('builds the page query with every filter', () => {
    const query = new URLSearchParams(celQueryString({ kind: 'operator', text: ' pump ', from: '', to: '' }, 120));
    expect(Object.fromEntries(query)).toEqual({ before: '120', limit: '200', kind: 'operator', text: 'pump' });
  });

  it('shows live and paged entries newest first, each once, filtered alike', () => {
    const live = [celEntry(12, { kind: 'alarm' }), celEntry(11), celEntry(10, { kind: 'alarm' })];
    const loaded = [celEntry(10, { kind: 'alarm' }), celEntry(9, { kind: 'alarm' }), celEntry(8)];
    expect(shownCel(live, loaded, EMPTY_CEL_FILTER).map((e) => e.seq)).toEqual([12, 11, 10, 9, 8]);
    expect(shownCel(live, loaded, { ...EMPTY_CEL_FILTER, kind: 'alarm' }).map((e) => e.seq)).toEqual([12, 10, 9]);
  });

  it('continues older pages from the server cursor, else below the oldest entry held', () => {
    const live = [celEntry(12), celEntry(11)];
    expect(olderCursor(live, [], undefined)).toBe(11);
    expect(olderCursor(live, [celEntry(5)], undefined)).toBe(5);
    expect(olderCursor(live, [celEntry(5)], 3)).toBe(3);
    expect(olderCursor(live, [celEntry(5)], null)).toBeNull();
  });
});
