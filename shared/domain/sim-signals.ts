/**
 * Simulated process signals. Every signal is a pure function of time, so two nodes that sample the
 * same tag at the same instant read the same value: a redundancy pair agrees sample by sample, and a
 * gap in an archive is visible.
 *
 * Address syntax (the `address` of a simulator tag): `kind` or `kind?param=value&param=value`.
 */

export type SimSignal =
  | { kind: 'counter' }
  | { kind: 'sine'; periodMs: number; amplitude: number; offset: number }
  | { kind: 'noise'; periodMs: number; amplitude: number; offset: number; seed: number }
  | { kind: 'triangle'; periodMs: number; min: number; max: number }
  | { kind: 'square'; periodMs: number; duty: number; phaseMs: number }
  | { kind: 'constant'; value: number };

type Params = Record<string, number>;

const KNOWN: Record<SimSignal['kind'], Params> = {
  counter: {},
  sine: { periodMs: 60_000, amplitude: 1, offset: 0 },
  noise: { periodMs: 30_000, amplitude: 1, offset: 0, seed: 1 },
  triangle: { periodMs: 120_000, min: 0, max: 100 },
  square: { periodMs: 60_000, duty: 0.5, phaseMs: 0 },
  constant: { value: 0 },
};

/** Parses a simulator address; returns an error sentence naming the bad part instead of throwing. */
export function parseSimAddress(address: string): SimSignal | string {
  const [kind, query] = splitOnce(address, '?');
  if (!Object.hasOwn(KNOWN, kind)) {
    return `unknown simulator signal "${kind}" (known: ${Object.keys(KNOWN).join(', ')})`;
  }
  const defaults = KNOWN[kind as SimSignal['kind']];
  const params: Params = { ...defaults };
  for (const pair of query ? query.split('&') : []) {
    const [key, raw] = splitOnce(pair, '=');
    if (!Object.hasOwn(defaults, key)) {
      return `signal "${kind}" has no parameter "${key}" (it takes: ${Object.keys(defaults).join(', ') || 'none'})`;
    }
    const value = Number(raw);
    if (raw.trim() === '' || !Number.isFinite(value)) {
      return `parameter "${key}" of signal "${kind}" must be a number, got "${raw}"`;
    }
    params[key] = value;
  }
  if ('periodMs' in params && !(params.periodMs! > 0)) {
    return `parameter "periodMs" of signal "${kind}" must be greater than 0`;
  }
  if (kind === 'square' && !(params.duty! >= 0 && params.duty! <= 1)) {
    return `parameter "duty" of signal "square" must be between 0 and 1`;
  }
  return { kind, ...params } as SimSignal;
}

/** Splits at the first separator only, so whatever follows a stray second one stays visible in errors. */
function splitOnce(text: string, separator: string): [string, string] {
  const at = text.indexOf(separator);
  return at < 0 ? [text, ''] : [text.slice(0, at), text.slice(at + 1)];
}

/** The value of a signal at Unix time `t` (ms). */
export function simValue(signal: SimSignal, t: number): number {
  switch (signal.kind) {
    case 'counter':
      return Math.floor(t / 100);
    case 'sine':
      return signal.offset + signal.amplitude * Math.sin((2 * Math.PI * t) / signal.periodMs);
    case 'noise':
      return signal.offset + signal.amplitude * smoothNoise(t / signal.periodMs, signal.seed);
    case 'triangle': {
      const phase = (t % signal.periodMs) / signal.periodMs;
      const rise = phase < 0.5 ? phase * 2 : 2 - phase * 2;
      return signal.min + (signal.max - signal.min) * rise;
    }
    case 'square': {
      const phase = (((t + signal.phaseMs) % signal.periodMs) + signal.periodMs) % signal.periodMs;
      return phase < signal.duty * signal.periodMs ? 1 : 0;
    }
    case 'constant':
      return signal.value;
  }
}

/** Two octaves of smoothly interpolated value noise in [-1, 1]: looks like a drifting measurement. */
function smoothNoise(x: number, seed: number): number {
  return 0.7 * valueNoise(x, seed) + 0.3 * valueNoise(x * 4.1, seed + 101);
}

function valueNoise(x: number, seed: number): number {
  const i = Math.floor(x);
  const f = x - i;
  const s = f * f * (3 - 2 * f);
  return lattice(i, seed) * (1 - s) + lattice(i + 1, seed) * s;
}

function lattice(i: number, seed: number): number {
  let h = Math.imul(i ^ Math.imul(seed, 0x9e3779b1), 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return ((h >>> 0) / 0xffffffff) * 2 - 1;
}
