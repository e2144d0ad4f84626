import { describe, expect, it } from 'vitest';
import { alignmentEtaMs } from './alignment-eta.js';

describe('alignment ETA', () => {
  it('extrapolates the recent rate of progress to completion', () => {
    // 10 % in 2 s, 60 % left: 12 s.
    expect(alignmentEtaMs([{ t: 0, v: 0.3 }, { t: 1_000, v: 0.35 }, { t: 2_000, v: 0.4 }])).toBe(12_000);
  });

  it('cannot estimate from one reading, without progress, or when done', () => {
    expect(alignmentEtaMs([])).toBeNull();
    expect(alignmentEtaMs([{ t: 0, v: 0.5 }])).toBeNull();
    expect(alignmentEtaMs([{ t: 0, v: 0.5 }, { t: 1_000, v: 0.5 }])).toBeNull();
    expect(alignmentEtaMs([{ t: 0, v: 0.5 }, { t: 1_000, v: 1 }])).toBeNull();
    expect(alignmentEtaMs([{ t: 0, v: 0.5 }, { t: 1_000, v: null }])).toBeNull();
  });

  it('counts only the current alignment after progress starts again from lower', () => {
    expect(alignmentEtaMs([{ t: 0, v: 0.1 }, { t: 1_000, v: 0.9 }, { t: 2_000, v: 0.2 }, { t: 4_000, v: 0.4 }])).toBe(6_000);
  });

  it('follows the recent pace, not the pace of long ago', () => {
    const slowThenFast = [{ t: 0, v: 0 }, { t: 60_000, v: 0.1 }, { t: 61_000, v: 0.2 }, { t: 62_000, v: 0.3 }];
    expect(alignmentEtaMs(slowThenFast)).toBe(7_000);
  });
});
