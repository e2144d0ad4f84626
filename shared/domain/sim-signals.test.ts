import { describe, expect, it } from 'vitest';
import { parseSimAddress, simValue, type SimSignal } from './sim-signals.js';

function signal(address: string): SimSignal {
  const parsed = parseSimAddress(address);
  if (typeof parsed === 'string') throw new Error(`"${address}" did not parse: ${parsed}`);
  return parsed;
}

describe('parseSimAddress: accepted addresses', () => {
  it.each([
    { address: 'counter', expected: { kind: 'counter' } },
    { address: 'sine', expected: { kind: 'sine', periodMs: 60_000, amplitude: 1, offset: 0 } },
    { address: 'sine?periodMs=1000&amplitude=50&offset=50', expected: { kind: 'sine', periodMs: 1000, amplitude: 50, offset: 50 } },
    { address: 'noise?seed=7', expected: { kind: 'noise', periodMs: 30_000, amplitude: 1, offset: 0, seed: 7 } },
    { address: 'triangle?min=-10&max=10', expected: { kind: 'triangle', periodMs: 120_000, min: -10, max: 10 } },
    { address: 'square?duty=0&phaseMs=-500', expected: { kind: 'square', periodMs: 60_000, duty: 0, phaseMs: -500 } },
    { address: 'square?duty=1', expected: { kind: 'square', periodMs: 60_000, duty: 1, phaseMs: 0 } },
    { address: 'constant?value=1.5e3', expected: { kind: 'constant', value: 1500 } },
  ])('$address', ({ address, expected }) => {
    expect(parseSimAddress(address)).toEqual(expected);
  });
});

describe('parseSimAddress: errors name the bad part', () => {
  it.each([
    { address: 'sinus', error: 'unknown simulator signal "sinus" (known: counter, sine, noise, triangle, square, constant)' },
    { address: '', error: 'unknown simulator signal ""' },
    { address: 'toString', error: 'unknown simulator signal "toString"' },
    { address: 'constructor?value=1', error: 'unknown simulator signal "constructor"' },
    { address: 'sine?period=1000', error: 'signal "sine" has no parameter "period" (it takes: periodMs, amplitude, offset)' },
    { address: 'counter?step=2', error: 'signal "counter" has no parameter "step" (it takes: none)' },
    { address: 'sine?constructor=1', error: 'signal "sine" has no parameter "constructor"' },
    { address: 'sine?toString=1', error: 'signal "sine" has no parameter "toString"' },
    { address: 'sine?amplitude=big', error: 'parameter "amplitude" of signal "sine" must be a number, got "big"' },
    { address: 'sine?amplitude=', error: 'parameter "amplitude" of signal "sine" must be a number, got ""' },
    { address: 'sine?amplitude', error: 'parameter "amplitude" of signal "sine" must be a number, got ""' },
    { address: 'sine?amplitude=Infinity', error: 'parameter "amplitude" of signal "sine" must be a number, got "Infinity"' },
    { address: 'sine?amplitude=5=6', error: 'parameter "amplitude" of signal "sine" must be a number, got "5=6"' },
    { address: 'sine?periodMs=1000?amplitude=5', error: 'parameter "periodMs" of signal "sine" must be a number, got "1000?amplitude=5"' },
    { address: 'sine?periodMs=0', error: 'parameter "periodMs" of signal "sine" must be greater than 0' },
    { address: 'triangle?periodMs=-5', error: 'parameter "periodMs" of signal "triangle" must be greater than 0' },
    { address: 'square?duty=1.5', error: 'parameter "duty" of signal "square" must be between 0 and 1' },
    { address: 'square?duty=-0.1', error: 'parameter "duty" of signal "square" must be between 0 and 1' },
  ])('$address', ({ address, error }) => {
    const parsed = parseSimAddress(address);
    expect(typeof parsed).toBe('string');
    expect(parsed).toContain(error);
  });
});

describe('simValue', () => {
  it.each([
    { t: 0, value: 0 },
    { t: 99, value: 0 },
    { t: 100, value: 1 },
    { t: 199, value: 1 },
    { t: 1_700_000_000_050, value: 17_000_000_000 },
  ])('counter at t=$t is floor(t/100) = $value', ({ t, value }) => {
    expect(simValue(signal('counter'), t)).toBe(value);
  });

  it.each([
    { t: 0, value: 50 },
    { t: 250, value: 100 },
    { t: 500, value: 50 },
    { t: 750, value: 0 },
    { t: 1_000, value: 50 },
  ])('sine(period 1 s, 50 +- 50) at t=$t is $value', ({ t, value }) => {
    expect(simValue(signal('sine?periodMs=1000&amplitude=50&offset=50'), t)).toBeCloseTo(value, 9);
  });

  it.each([
    { t: 0, value: 2 },
    { t: 250, value: 50 },
    { t: 500, value: 98 },
    { t: 750, value: 50 },
    { t: 1_000, value: 2 },
  ])('triangle(period 1 s, 2..98) at t=$t is $value', ({ t, value }) => {
    expect(simValue(signal('triangle?periodMs=1000&min=2&max=98'), t)).toBeCloseTo(value, 9);
  });

  it.each([
    { address: 'square?periodMs=1000&duty=0.25', t: 0, value: 1 },
    { address: 'square?periodMs=1000&duty=0.25', t: 249, value: 1 },
    { address: 'square?periodMs=1000&duty=0.25', t: 250, value: 0 },
    { address: 'square?periodMs=1000&duty=0.25', t: 999, value: 0 },
    { address: 'square?periodMs=1000&duty=0.25', t: 1_000, value: 1 },
    { address: 'square?periodMs=1000&duty=0.25&phaseMs=900', t: 0, value: 0 },
    { address: 'square?periodMs=1000&duty=0.25&phaseMs=900', t: 100, value: 1 },
    { address: 'square?periodMs=1000&duty=0.25&phaseMs=-100', t: 50, value: 0 },
    { address: 'square?periodMs=1000&duty=0.25&phaseMs=-100', t: 100, value: 1 },
    { address: 'square?periodMs=1000&duty=0', t: 0, value: 0 },
    { address: 'square?periodMs=1000&duty=1', t: 999, value: 1 },
  ])('$address at t=$t is $value', ({ address, t, value }) => {
    expect(simValue(signal(address), t)).toBe(value);
  });

  it('constant is its value at any time', () => {
    expect([0, 1, 1_700_000_000_000].map((t) => simValue(signal('constant?value=70'), t))).toEqual([70, 70, 70]);
  });

  const NOISE = 'noise?periodMs=20000&amplitude=40&offset=60&seed=7';
  const DAY_MS = 86_400_000;
  const START = 1_700_000_000_000;
  const day = Array.from({ length: 2_000 }, (_, i) => START + Math.floor((i * DAY_MS) / 2_000));

  it('noise stays within offset +- amplitude and actually moves across that range', () => {
    const values = day.map((t) => simValue(signal(NOISE), t));
    expect(Math.min(...values)).toBeGreaterThanOrEqual(20);
    expect(Math.max(...values)).toBeLessThanOrEqual(100);
    expect(Math.max(...values) - Math.min(...values)).toBeGreaterThan(40);
  });

  it('noise drifts: one 100 ms sample step moves it by a small part of its amplitude', () => {
    const steps = day.map((t) => Math.abs(simValue(signal(NOISE), t + 100) - simValue(signal(NOISE), t)));
    expect(Math.max(...steps)).toBeLessThan(0.05 * 40);
  });

  it('noise with another seed is another signal', () => {
    const a = day.map((t) => simValue(signal('noise?seed=1'), t));
    const b = day.map((t) => simValue(signal('noise?seed=2'), t));
    expect(a.filter((v, i) => v !== b[i]).length).toBeGreaterThan(day.length * 0.9);
  });

  it.each(['counter', 'sine?periodMs=7000', NOISE, 'triangle?periodMs=3000', 'square?periodMs=900&duty=0.3', 'constant?value=3'])(
    '%s is a pure function of time: two parses sampled in any order agree',
    (address) => {
      const times = [START, START + 1, START + 12_345, START + 100, START];
      const forward = times.map((t) => simValue(signal(address), t));
      const shared = signal(address);
      const backward = [...times].reverse().map((t) => simValue(shared, t)).reverse();
      expect(backward).toEqual(forward);
      expect(forward[0]).toBe(forward[4]);
      expect(forward.every(Number.isFinite)).toBe(true);
    },
  );
});
