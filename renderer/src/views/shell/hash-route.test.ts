import { describe, expect, it } from 'vitest';
import { parseRoute, routeShown } from './hash-route.js';

describe('parseRoute', () => {
  it('opens a view from the hash, with or without a slash or query', () => {
    expect(parseRoute('#/alarms')).toBe('alarms');
    expect(parseRoute('#cel')).toBe('cel');
    expect(parseRoute('#/trends?tags=A,B')).toBe('trends');
    expect(parseRoute('#/redundancy')).toBe('redundancy');
    expect(parseRoute('#/users')).toBe('users');
    expect(parseRoute('')).toBe('overview');
    expect(parseRoute('#/nonsense')).toBe('overview');
  });
});

describe('routeShown', () => {
  it('shows Users to administrators only, every other view to anyone', () => {
    expect(routeShown('users', 'administrator')).toBe(true);
    expect(routeShown('users', 'engineer')).toBe(false);
    expect(routeShown('users', null)).toBe(false);
    expect(routeShown('alarms', null)).toBe(true);
    expect(routeShown('recipes', 'viewer')).toBe(true);
  });
});
