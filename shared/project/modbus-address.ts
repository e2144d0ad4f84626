import type { Endianness, ModbusSettings } from './project-schema.js';

/** The four Modbus data tables: holding registers, input registers, coils, discrete inputs. */
export type ModbusArea = 'hr' | 'ir' | 'co' | 'di';
export type RegisterType = 'int16' | 'uint16' | 'int32' | 'uint32' | 'float32';

/** Where a tag's value lives in a Modbus server and how to read it. */
export interface ModbusAddress {
  area: ModbusArea;
  /** Protocol address, 0-based (register 40001 of the old notation is `hr:0`). */
  offset: number;
  /** Number of registers (or bits) the value occupies. */
  count: number;
  /** `bit` for coils and discrete inputs. */
  type: RegisterType | 'bit';
  byteOrder: Endianness;
  wordOrder: Endianness;
  group: string;
}

const AREAS: readonly ModbusArea[] = ['hr', 'ir', 'co', 'di'];
const REGISTER_WORDS: Record<RegisterType, number> = { int16: 1, uint16: 1, int32: 2, uint32: 2, float32: 2 };
const PARAMS = ['group', 'byteOrder', 'wordOrder'];
const OFFSET_MAX = 65_535;

/**
 * Parses `area:offset[:type][?group=id&byteOrder=big|little&wordOrder=big|little]`, for example
 * `hr:100:float32?group=fast&wordOrder=little`. Returns a message naming the wrong part if invalid.
 */
export function parseModbusAddress(text: string, settings: ModbusSettings): ModbusAddress | string {
  const [path = '', query = ''] = text.split('?', 2);
  const [area, offsetText, typeText, ...rest] = path.split(':');
  if (!isArea(area)) return `unknown Modbus area "${area}" in "${text}"; use hr, ir, co or di (e.g. "hr:100:float32")`;
  if (offsetText === undefined || !/^\d+$/.test(offsetText) || Number(offsetText) > OFFSET_MAX) {
    return `register offset "${offsetText ?? ''}" in "${text}" must be a whole number from 0 to ${OFFSET_MAX}`;
  }
  if (rest.length > 0) return `"${text}" has too many ":" parts; use area:offset:type`;
  const type = parseType(area, typeText, text);
  if (typeof type === 'object') return type.error;
  const params = new URLSearchParams(query);
  for (const key of params.keys()) {
    if (!PARAMS.includes(key)) return `unknown parameter "${key}" in "${text}"; use ${PARAMS.join(', ')}`;
  }
  const byteOrder = parseOrder(params.get('byteOrder'), settings.byteOrder);
  const wordOrder = parseOrder(params.get('wordOrder'), settings.wordOrder);
  if (byteOrder === null || wordOrder === null) return `byteOrder and wordOrder in "${text}" must be "big" or "little"`;
  const groupId = params.get('group') ?? settings.pollGroups[0]?.id ?? '';
  if (!settings.pollGroups.some((g) => g.id === groupId)) {
    return `poll group "${groupId}" in "${text}" is not declared in the driver's pollGroups`;
  }
  const count = type === 'bit' ? 1 : REGISTER_WORDS[type];
  const offset = Number(offsetText);
  if (offset + count - 1 > OFFSET_MAX) return `a ${type} at ${offset} in "${text}" runs past register ${OFFSET_MAX}`;
  return { area, offset, count, type, byteOrder, wordOrder, group: groupId };
}

function isArea(area: string | undefined): area is ModbusArea {
  return AREAS.includes(area as ModbusArea);
}

function parseType(area: ModbusArea, typeText: string | undefined, text: string): RegisterType | 'bit' | { error: string } {
  if (area === 'co' || area === 'di') {
    if (typeText === undefined || typeText === 'bit') return 'bit';
    return { error: `${area} holds single bits; drop the type "${typeText}" from "${text}"` };
  }
  if (typeText === undefined) return 'uint16';
  if (isRegisterType(typeText)) return typeText;
  return { error: `unknown register type "${typeText}" in "${text}"; use ${Object.keys(REGISTER_WORDS).join(', ')}` };
}

function isRegisterType(text: string): text is RegisterType {
  return Object.hasOwn(REGISTER_WORDS, text);
}

function parseOrder(value: string | null, fallback: Endianness): Endianness | null {
  if (value === null) return fallback;
  return value === 'big' || value === 'little' ? value : null;
}
