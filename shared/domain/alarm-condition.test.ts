import { describe, expect, it } from 'vitest';
import type { AlarmCondition } from '../project/project-schema.js';
import { conditionHolds, scale } from './alarm-condition.js';

const HH: AlarmCondition = { type: 'HH', limit: 95, deadband: 0 };
const H: AlarmCondition = { type: 'H', limit: 80, deadband: 2 };
const L: AlarmCondition = { type: 'L', limit: 20, deadband: 2 };
const LL: AlarmCondition = { type: 'LL', limit: 5, deadband: 0.5 };
const ON_WHEN_1: AlarmCondition = { type: 'binary', activeWhen: 1 };
const ON_WHEN_0: AlarmCondition = { type: 'binary', activeWhen: 0 };

describe('conditionHolds', () => {
  it.each([
    // High limits: active strictly above the limit; once active, clears only at limit - deadband or below.
    { name: 'H inactive at limit', condition: H, wasActive: false, value: 80, holds: false },
    { name: 'H activates above limit', condition: H, wasActive: false, value: 80.01, holds: true },
    { name: 'H inside deadband does not activate', condition: H, wasActive: false, value: 79, holds: false },
    { name: 'H active stays inside deadband', condition: H, wasActive: true, value: 79, holds: true },
    { name: 'H active stays just above limit - deadband', condition: H, wasActive: true, value: 78.01, holds: true },
    { name: 'H active clears at limit - deadband', condition: H, wasActive: true, value: 78, holds: false },
    { name: 'H active clears below deadband', condition: H, wasActive: true, value: 50, holds: false },
    { name: 'HH without deadband clears at limit', condition: HH, wasActive: true, value: 95, holds: false },
    { name: 'HH without deadband activates above limit', condition: HH, wasActive: false, value: 95.5, holds: true },
    // Low limits mirror the high ones.
    { name: 'L inactive at limit', condition: L, wasActive: false, value: 20, holds: false },
    { name: 'L activates below limit', condition: L, wasActive: false, value: 19.99, holds: true },
    { name: 'L inside deadband does not activate', condition: L, wasActive: false, value: 21, holds: false },
    { name: 'L active stays inside deadband', condition: L, wasActive: true, value: 21, holds: true },
    { name: 'L active clears at limit + deadband', condition: L, wasActive: true, value: 22, holds: false },
    { name: 'LL activates below limit', condition: LL, wasActive: false, value: 4.9, holds: true },
    { name: 'LL active stays inside deadband', condition: LL, wasActive: true, value: 5.4, holds: true },
    { name: 'LL active clears at limit + deadband', condition: LL, wasActive: true, value: 5.5, holds: false },
    // Binary alarms have no hysteresis.
    { name: 'binary(1) on 1', condition: ON_WHEN_1, wasActive: false, value: 1, holds: true },
    { name: 'binary(1) off 0', condition: ON_WHEN_1, wasActive: true, value: 0, holds: false },
    { name: 'binary(0) on 0', condition: ON_WHEN_0, wasActive: false, value: 0, holds: true },
    { name: 'binary(0) off 1', condition: ON_WHEN_0, wasActive: true, value: 1, holds: false },
  ])('$name', ({ condition, wasActive, value, holds }) => {
    expect(conditionHolds(condition, wasActive, value)).toBe(holds);
  });

  it('a value hovering around an H limit alarms once, not on every crossing', () => {
    const values = [79, 80.5, 79.5, 80.5, 79, 78.5, 80.2, 78, 79.9, 80, 80.1];
    let active = false;
    const trace = values.map((value) => (active = conditionHolds(H, active, value)));
    expect(trace).toEqual([false, true, true, true, true, true, true, false, false, false, true]);
  });
});

describe('scale', () => {
  const fourTwenty = { rawLow: 4, rawHigh: 20, euLow: 0, euHigh: 100 };
  it.each([
    { name: 'raw low -> eu low', raw: 4, scaling: fourTwenty, eu: 0 },
    { name: 'raw high -> eu high', raw: 20, scaling: fourTwenty, eu: 100 },
    { name: 'midpoint', raw: 12, scaling: fourTwenty, eu: 50 },
    { name: 'below range extrapolates (a broken 4-20 mA loop reads negative)', raw: 0, scaling: fourTwenty, eu: -25 },
    { name: 'inverted engineering range', raw: 4, scaling: { rawLow: 0, rawHigh: 10, euLow: 100, euHigh: 0 }, eu: 60 },
    { name: 'offset range', raw: 27648, scaling: { rawLow: 0, rawHigh: 27648, euLow: -50, euHigh: 150 }, eu: 150 },
    { name: 'no scaling passes the raw value through', raw: 17.5, scaling: undefined, eu: 17.5 },
  ])('$name', ({ raw, scaling, eu }) => {
    expect(scale(raw, scaling)).toBeCloseTo(eu, 9);
  });
});
