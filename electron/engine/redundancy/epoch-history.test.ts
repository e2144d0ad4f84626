import { describe, expect, it } from 'vitest';
import { EpochHistory, type EpochStart } from './epoch-history.js';

/** Epoch 2 from seq 1, epoch 4 from 11, epoch 6 from 21; the log ends at 30. */
const STARTS: EpochStart[] = [
  { epoch: 2, seq: 1 },
  { epoch: 4, seq: 11 },
  { epoch: 6, seq: 21 },
];
const END_SEQ = 30;

describe('EpochHistory.logged / lastEpoch / has', () => {
  it('records where each new epoch starts and ignores ops that continue the last one', () => {
    const history = new EpochHistory([]);
    expect(history.lastEpoch).toBe(0);
    history.logged(2, 1);
    history.logged(2, 2);
    history.logged(2, 3);
    history.logged(3, 4);
    expect(history.lastEpoch).toBe(3);
    expect(history.endOf(2, 9)).toEqual({ epoch: 2, endSeq: 3 });
    expect(history.endOf(3, 9)).toEqual({ epoch: 3, endSeq: 9 });
  });

  it('sorts the starts it is given by seq', () => {
    const history = new EpochHistory([...STARTS].reverse());
    expect(history.lastEpoch).toBe(6);
    expect(history.endOf(4, END_SEQ)).toEqual({ epoch: 4, endSeq: 20 });
  });

  it.each([
    { epoch: 2, has: true },
    { epoch: 4, has: true },
    { epoch: 6, has: true },
    { epoch: 0, has: false },
    { epoch: 3, has: false },
    { epoch: 7, has: false },
  ])('has($epoch) is $has', ({ epoch, has }) => {
    expect(new EpochHistory(STARTS).has(epoch)).toBe(has);
  });
});

describe('EpochHistory.truncateAfter', () => {
  it.each([
    { seq: 30, lastEpoch: 6, kept: [2, 4, 6] },
    { seq: 21, lastEpoch: 6, kept: [2, 4, 6] },
    { seq: 20, lastEpoch: 4, kept: [2, 4] },
    { seq: 11, lastEpoch: 4, kept: [2, 4] },
    { seq: 10, lastEpoch: 2, kept: [2] },
    { seq: 0, lastEpoch: 0, kept: [] },
  ])('after seq $seq the log holds epochs $kept', ({ seq, lastEpoch, kept }) => {
    const history = new EpochHistory(STARTS);
    history.truncateAfter(seq);
    expect(history.lastEpoch).toBe(lastEpoch);
    expect([2, 4, 6].filter((epoch) => history.has(epoch))).toEqual(kept);
  });

  it('lets a new epoch start right after the kept prefix', () => {
    const history = new EpochHistory(STARTS);
    history.truncateAfter(15);
    history.logged(7, 16);
    expect(history.endOf(4, 18)).toEqual({ epoch: 4, endSeq: 15 });
    expect(history.endOf(6, 18)).toEqual({ epoch: 4, endSeq: 15 });
    expect(history.endOf(7, 18)).toEqual({ epoch: 7, endSeq: 18 });
  });
});

describe('EpochHistory.endOf', () => {
  it.each([
    { case: 'a known epoch', epoch: 2, expected: { epoch: 2, endSeq: 10 } },
    { case: 'a known epoch in the middle', epoch: 4, expected: { epoch: 4, endSeq: 20 } },
    { case: 'the newest epoch (ends at the log end)', epoch: 6, expected: { epoch: 6, endSeq: 30 } },
    { case: 'an epoch between two known ones', epoch: 3, expected: { epoch: 2, endSeq: 10 } },
    { case: 'another epoch between two known ones', epoch: 5, expected: { epoch: 4, endSeq: 20 } },
    { case: 'an epoch below all', epoch: 1, expected: { epoch: 0, endSeq: 0 } },
    { case: 'epoch 0', epoch: 0, expected: { epoch: 0, endSeq: 0 } },
    { case: 'an epoch above all', epoch: 9, expected: { epoch: 6, endSeq: 30 } },
  ])('for $case ($epoch)', ({ epoch, expected }) => {
    expect(new EpochHistory(STARTS).endOf(epoch, END_SEQ)).toEqual(expected);
  });

  it('is epoch 0, seq 0 for an empty log', () => {
    expect(new EpochHistory([]).endOf(5, 0)).toEqual({ epoch: 0, endSeq: 0 });
  });
});

/**
 * How two nodes find where their logs part, as the follower does it: ask the other side for the end
 * of the follower's last epoch, take the largest epoch both have, and agree up to the smaller end.
 */
function agreedThrough(follower: EpochHistory, followerEnd: number, server: EpochHistory, serverEnd: number): number {
  let asked = follower.lastEpoch;
  for (;;) {
    const answer = server.endOf(asked, serverEnd);
    if (answer.epoch === 0) return 0;
    if (!follower.has(answer.epoch)) {
      asked = follower.endOf(answer.epoch, followerEnd).epoch;
      continue;
    }
    return Math.min(answer.endSeq, follower.endOf(answer.epoch, followerEnd).endSeq);
  }
}

describe('finding where two logs part', () => {
  // A served epoch 2 and wrote to seq 130; B, its Standby, had epoch 2 to 120, then served epoch 3 from 121.
  const a = () => new EpochHistory([{ epoch: 1, seq: 1 }, { epoch: 2, seq: 51 }]);
  const b = () => new EpochHistory([{ epoch: 1, seq: 1 }, { epoch: 2, seq: 51 }, { epoch: 3, seq: 121 }]);

  it.each([
    { case: 'A asks B', follower: a, followerEnd: 130, server: b, serverEnd: 140, agreed: 120 },
    { case: 'B asks A', follower: b, followerEnd: 140, server: a, serverEnd: 130, agreed: 120 },
    {
      case: 'the follower has epochs the server never had (1, 3 against 1, 2, 4)',
      follower: () => new EpochHistory([{ epoch: 1, seq: 1 }, { epoch: 3, seq: 21 }]),
      followerEnd: 30,
      server: () => new EpochHistory([{ epoch: 1, seq: 1 }, { epoch: 2, seq: 16 }, { epoch: 4, seq: 26 }]),
      serverEnd: 40,
      agreed: 15,
    },
    {
      case: 'the follower is a prefix of the server',
      follower: () => new EpochHistory([{ epoch: 2, seq: 1 }]),
      followerEnd: 10,
      server: () => new EpochHistory([{ epoch: 2, seq: 1 }, { epoch: 4, seq: 21 }]),
      serverEnd: 25,
      agreed: 10,
    },
    {
      case: 'no epoch in common',
      follower: () => new EpochHistory([{ epoch: 3, seq: 1 }]),
      followerEnd: 10,
      server: () => new EpochHistory([{ epoch: 2, seq: 1 }]),
      serverEnd: 10,
      agreed: 0,
    },
  ])('$case: both agree up to $agreed', ({ follower, followerEnd, server, serverEnd, agreed }) => {
    expect(agreedThrough(follower(), followerEnd, server(), serverEnd)).toBe(agreed);
  });

  it('answers the query of A about epoch 2 with the end of epoch 2 on B', () => {
    expect(b().endOf(a().lastEpoch, 140)).toEqual({ epoch: 2, endSeq: 120 });
    expect(a().endOf(2, 130)).toEqual({ epoch: 2, endSeq: 130 });
  });
});
