import { describe, expect, it } from 'vitest';
import { parseRoute } from './hash-route.js';

describe('parseRoute', () => {
  it('opens a view from the hash, with or without a slash or query', () => {
    expect(parseRoute('#/alarms')).toBe('alarms');
    expect(parseRoute('#cel')).toBe('cel');
    expect(parseRoute('#/trends?tags=A,B')).toBe('trends');
    expect(parseRoute('#/redundancy')).toBe('redundancy');
    expect(parseRoute('')).toBe('overview');
    expect(parseRoute('#/nonsense')).toBe('overview');
  });
});
