import { scale } from '../../../../shared/domain/alarm-condition.js';
import type { Scaling } from '../../../../shared/project/project-schema.js';
import type { Quality } from '../../../../shared/protocol/entities.js';

/** The OPC UA built-in types a tag can read (and, but for the 64-bit ones, write). */
export type NumericType = 'Boolean' | 'SByte' | 'Byte' | 'Int16' | 'UInt16' | 'Int32' | 'UInt32' | 'Int64' | 'UInt64' | 'Float' | 'Double';

const INTEGER_RANGES: Partial<Record<NumericType, [number, number]>> = {
  SByte: [-128, 127],
  Byte: [0, 255],
  Int16: [-32_768, 32_767],
  UInt16: [0, 65_535],
  Int32: [-2_147_483_648, 2_147_483_647],
  UInt32: [0, 4_294_967_295],
};
const NUMERIC_TYPES = new Set<string>(['Boolean', 'Int64', 'UInt64', 'Float', 'Double', ...Object.keys(INTEGER_RANGES)]);
const FLOAT_MAX = 3.4028234663852886e38;

export function numericType(builtinTypeName: string): NumericType | null {
  return NUMERIC_TYPES.has(builtinTypeName) ? (builtinTypeName as NumericType) : null;
}

/** The severity in a StatusCode's top two bits: Good, Uncertain (-> stale), Bad. */
export function qualityOf(statusCode: number): Quality {
  const severity = statusCode >>> 30;
  if (severity === 0) return 'good';
  return severity === 1 ? 'stale' : 'bad';
}

/** The source timestamp when the server gives one, else its own timestamp, else the local clock. */
export function sampleTime(source: Date | null, server: Date | null, localMs: number): number {
  for (const date of [source, server]) {
    const ms = date?.getTime();
    // OPC UA's "no time" is 1601-01-01, which lands before the Unix epoch.
    if (ms !== undefined && Number.isFinite(ms) && ms > 0) return ms;
  }
  return localMs;
}

/** A read value in engineering units: booleans 0 / 1, numbers scaled; null if it is not a finite number. */
export function engineeringValue(type: NumericType, raw: unknown, boolean: boolean, scaling: Scaling | undefined): number | null {
  const value = rawNumber(type, raw);
  if (value === null || !Number.isFinite(value)) return null;
  if (boolean) return value !== 0 ? 1 : 0;
  return scale(value, scaling);
}

function rawNumber(type: NumericType, raw: unknown): number | null {
  if (type === 'Boolean') return raw === true ? 1 : raw === false ? 0 : null;
  // node-opcua carries 64-bit integers as [high, low] 32-bit words.
  if ((type === 'Int64' || type === 'UInt64') && Array.isArray(raw) && raw.length === 2) {
    const [high, low] = raw as [number, number];
    return high * 2 ** 32 + (low >>> 0);
  }
  return typeof raw === 'number' ? raw : null;
}

export type WireValue = { ok: true; value: number | boolean } | { ok: false; error: string };

/** A value in engineering units, unscaled and checked against the node's type, ready to write. */
export function wireValue(type: NumericType, value: number, boolean: boolean, scaling: Scaling | undefined): WireValue {
  if (!Number.isFinite(value)) return { ok: false, error: `${value} is not a finite number` };
  if (type === 'Boolean') {
    if (value !== 0 && value !== 1) return { ok: false, error: `the node is a Boolean and takes 0 or 1, not ${value}` };
    return { ok: true, value: value === 1 };
  }
  if (!boolean && scaling && scaling.euHigh === scaling.euLow) return { ok: false, error: 'the tag\'s scale has euLow equal to euHigh, so a value cannot be converted back' };
  const raw = boolean || !scaling ? value : unscale(value, scaling);
  if (type === 'Double') return { ok: true, value: raw };
  if (type === 'Float') {
    return Math.abs(raw) <= FLOAT_MAX ? { ok: true, value: raw } : { ok: false, error: `${raw} does not fit the node's Float` };
  }
  const range = INTEGER_RANGES[type];
  if (!range) return { ok: false, error: `writing ${type} nodes is not supported; use a Double, Float or a 8/16/32-bit integer node` };
  const whole = Math.round(raw);
  if (Math.abs(whole - raw) > 1e-9) return { ok: false, error: `the node is an ${type} and takes whole numbers, not ${raw}` };
  const [min, max] = range;
  if (whole < min || whole > max) return { ok: false, error: `${whole} is outside the ${type} range ${min} to ${max}` };
  return { ok: true, value: whole };
}

function unscale(eu: number, { rawLow, rawHigh, euLow, euHigh }: Scaling): number {
  return rawLow + ((eu - euLow) * (rawHigh - rawLow)) / (euHigh - euLow);
}
