import { describe, expect, it } from 'vitest';
import { AttemptLimiter } from './attempt-limiter.js';

describe('AttemptLimiter', () => {
  it('allows max attempts in a window, then one more each time the oldest leaves it', () => {
    let nowMs = 0;
    const limiter = new AttemptLimiter(3, 60_000, { now: () => nowMs });
    const at = (ms: number) => {
      nowMs = ms;
      return limiter.tryAttempt();
    };
    expect([at(0), at(10_000), at(20_000), at(30_000)]).toEqual([true, true, true, false]);
    expect([at(59_999), at(60_000), at(60_001), at(70_000)]).toEqual([false, true, false, true]);
  });
});
