import { describe, expect, it } from 'vitest';
import { reconnectDelayMs } from './backoff.js';

describe('reconnectDelayMs', () => {
  it('starts at 250 ms, doubles, and stops at 2 s', () => {
    expect([0, 1, 2, 3, 4, 50].map(reconnectDelayMs)).toEqual([250, 500, 1000, 2000, 2000, 2000]);
  });
});
