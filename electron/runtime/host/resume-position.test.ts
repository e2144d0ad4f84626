import { describe, expect, it } from 'vitest';
import { holdsPosition } from './resume-position.js';

describe('holdsPosition: may a client resume after the entry it last saw?', () => {
  // The new Server pc-b: epoch 2 (pc-a's, replicated) up to seq 120, its own epoch 3 from 121.
  const starts = [
    { epoch: 2, seq: 1 },
    { epoch: 3, seq: 121 },
  ];
  it.each([
    [{ epoch: 2, seq: 100 }, true, 'an entry of the old epoch that was replicated'],
    [{ epoch: 2, seq: 120 }, true, 'the last replicated entry of the old epoch'],
    [{ epoch: 2, seq: 125 }, false, 'an entry the old Server logged but never replicated'],
    [{ epoch: 3, seq: 130 }, true, 'an entry of the new Server'],
    [{ epoch: 3, seq: 150 }, false, 'beyond this log'],
    [{ epoch: 1, seq: 5 }, false, 'an epoch this log never had'],
    [{ epoch: 0, seq: 0 }, true, 'nothing seen yet'],
  ])('%j -> %s (%s)', (position, held) => {
    expect(holdsPosition(starts, 140, position)).toBe(held);
  });
});
