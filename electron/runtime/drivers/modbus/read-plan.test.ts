import { describe, expect, it } from 'vitest';
import { planReads, READ_LIMITS, SINGLE_READS } from './read-plan.js';

const span = (offset: number, count = 1) => ({ offset, count });

describe('planReads', () => {
  it('reads neighbouring registers, and a float32 next to them, in one request', () => {
    expect(planReads([span(0), span(1), span(2, 2), span(4, 2)], READ_LIMITS.hr)).toEqual([{ offset: 0, count: 6, members: [0, 1, 2, 3] }]);
  });

  it('bridges a gap of at most gapMax unused registers, and starts a new request after a longer one', () => {
    expect(planReads([span(0), span(5), span(11)], READ_LIMITS.hr)).toEqual([
      { offset: 0, count: 6, members: [0, 1] },
      { offset: 11, count: 1, members: [2] },
    ]);
  });

  it('sorts the spans by offset and keeps their indices', () => {
    expect(planReads([span(20), span(2), span(0)], READ_LIMITS.hr)).toEqual([
      { offset: 0, count: 3, members: [2, 1] },
      { offset: 20, count: 1, members: [0] },
    ]);
  });

  it('lets overlapping spans share registers', () => {
    expect(planReads([span(10, 2), span(10), span(11)], READ_LIMITS.hr)).toEqual([{ offset: 10, count: 2, members: [0, 1, 2] }]);
  });

  it('never asks for more than 125 registers in one request', () => {
    const blocks = planReads(Array.from({ length: 300 }, (_, i) => span(i)), READ_LIMITS.hr);
    expect(blocks.map((b) => [b.offset, b.count])).toEqual([[0, 125], [125, 125], [250, 50]]);
  });

  it('does not split a float32 across two requests at the 125-register limit', () => {
    const blocks = planReads([...Array.from({ length: 124 }, (_, i) => span(i)), span(124, 2)], READ_LIMITS.hr);
    expect(blocks.map((b) => [b.offset, b.count])).toEqual([[0, 124], [124, 2]]);
  });

  it('reads up to 2,000 coils in one request', () => {
    const blocks = planReads(Array.from({ length: 2_500 }, (_, i) => span(i)), READ_LIMITS.co);
    expect(blocks.map((b) => [b.offset, b.count])).toEqual([[0, 2_000], [2_000, 500]]);
  });

  it('with SINGLE_READS gives every span its own request, even two on the same register', () => {
    expect(planReads([span(0), span(1), span(1), span(2, 2)], SINGLE_READS).map((b) => b.members)).toEqual([[0], [1], [2], [3]]);
  });

  it('plans nothing for no spans', () => {
    expect(planReads([], READ_LIMITS.hr)).toEqual([]);
  });
});
