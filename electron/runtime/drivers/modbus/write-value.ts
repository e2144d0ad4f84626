import { scale } from '../../../../shared/domain/alarm-condition.js';
import type { ModbusAddress, RegisterType } from '../../../../shared/project/modbus-address.js';
import type { Scaling } from '../../../../shared/project/project-schema.js';
import { encodeRegisters } from './register-decoding.js';

/** What to send for one write: registers for a holding register, a bit for a coil. */
export type WriteRequest = { area: 'hr'; offset: number; registers: number[] } | { area: 'co'; offset: number; bit: 0 | 1 };

export interface WritableTag {
  id: string;
  address: ModbusAddress;
  scaling: Scaling | undefined;
}

const FLOAT32_MAX = 3.4028234663852886e38;
const RAW_RANGE: Record<RegisterType, [number, number]> = {
  int16: [-32_768, 32_767],
  uint16: [0, 65_535],
  int32: [-2_147_483_648, 2_147_483_647],
  uint32: [0, 4_294_967_295],
  float32: [-FLOAT32_MAX, FLOAT32_MAX],
};
const READ_ONLY: Record<'ir' | 'di', string> = { ir: 'an input register', di: 'a discrete input' };

/**
 * Turns a value in engineering units into the request that writes it: scaling inverted, rounded for
 * integer types, encoded in the tag's byte and word order. Returns a sentence instead when the value
 * cannot be written (read-only area, not 0 / 1 for a coil, outside the type's range).
 */
export function writeRequest(tag: WritableTag, value: number): WriteRequest | string {
  const { area, offset, type } = tag.address;
  const where = `${area}:${offset}`;
  if (area === 'ir' || area === 'di') {
    return `cannot write to ${tag.id}: ${where} is ${READ_ONLY[area]}, which Modbus only reads (holding registers and coils take writes)`;
  }
  if (!Number.isFinite(value)) return `cannot write ${value} to ${tag.id}: write a finite number`;
  if (area === 'co' || type === 'bit') {
    if (value !== 0 && value !== 1) return `cannot write ${value} to ${tag.id}: ${where} is a coil, which takes 0 or 1`;
    return { area: 'co', offset, bit: value };
  }
  const raw = unscale(value, tag.scaling);
  if (raw === null) return `cannot write to ${tag.id}: its scale has euLow equal to euHigh, so no raw value corresponds to ${value}`;
  const rounded = type === 'float32' ? raw : Math.round(raw);
  const [min, max] = RAW_RANGE[type];
  if (rounded < min || rounded > max) return outOfRange(tag, value, rounded, min, max);
  return { area: 'hr', offset, registers: encodeRegisters(rounded, type, tag.address.byteOrder, tag.address.wordOrder) };
}

/** Engineering units -> raw, the inverse of `scale`; null when the scale maps every raw value to one. */
function unscale(value: number, scaling: Scaling | undefined): number | null {
  if (!scaling) return value;
  const { rawLow, rawHigh, euLow, euHigh } = scaling;
  if (euHigh === euLow) return null;
  return rawLow + ((value - euLow) * (rawHigh - rawLow)) / (euHigh - euLow);
}

function outOfRange(tag: WritableTag, value: number, raw: number, min: number, max: number): string {
  const { area, offset, type } = tag.address;
  const holds = `${area}:${offset} is a ${type}, which holds ${min} to ${max}`;
  if (!tag.scaling) return `cannot write ${value} to ${tag.id}: ${holds}`;
  const [euA, euB] = [scale(min, tag.scaling), scale(max, tag.scaling)];
  return `cannot write ${value} to ${tag.id}: it scales to ${raw}, and ${holds} (${Math.min(euA, euB)} to ${Math.max(euA, euB)} in engineering units)`;
}
