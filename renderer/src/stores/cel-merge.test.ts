import { describe, expect, it } from 'vitest';
import { celEntry } from '../test/fixtures.js';
import { mergeCel } from './cel-merge.js';

const seqs = (entries: readonly { seq: number }[]) => entries.map((e) => e.seq);

describe('mergeCel', () => {
  it('puts live entries on top, newest first', () => {
    const held = [celEntry(3), celEntry(2), celEntry(1)];
    expect(seqs(mergeCel(held, [celEntry(4), celEntry(5)]))).toEqual([5, 4, 3, 2, 1]);
  });

  it('keeps each entry once when a resumed snapshot repeats entries already held', () => {
    const held = [celEntry(5), celEntry(4), celEntry(3)];
    const merged = mergeCel(held, [celEntry(4), celEntry(5), celEntry(6)]);
    expect(seqs(merged)).toEqual([6, 5, 4, 3]);
  });

  it('fills a hole with an older page in the right place', () => {
    const held = [celEntry(10), celEntry(9), celEntry(2)];
    expect(seqs(mergeCel(held, [celEntry(5), celEntry(3), celEntry(4)]))).toEqual([10, 9, 5, 4, 3, 2]);
  });

  it('counts an id seen twice in one batch once', () => {
    expect(seqs(mergeCel([], [celEntry(1), celEntry(1), celEntry(2)]))).toEqual([2, 1]);
  });

  it('drops the oldest entries past the bound', () => {
    const held = [celEntry(3), celEntry(2), celEntry(1)];
    expect(seqs(mergeCel(held, [celEntry(4)], 3))).toEqual([4, 3, 2]);
  });
});
