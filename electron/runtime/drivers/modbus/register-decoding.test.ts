import { describe, expect, it } from 'vitest';
import type { RegisterType } from '../../../../shared/project/modbus-address.js';
import type { Endianness } from '../../../../shared/project/project-schema.js';
import { decodeRegisters, encodeRegisters } from './register-decoding.js';

interface Row {
  type: RegisterType;
  byteOrder: Endianness;
  wordOrder: Endianness;
  registers: number[];
  value: number;
}

// Registers as a server sends them for each layout (ABCD = bytes of the value, high byte first).
const ROWS: Row[] = [
  { type: 'int16', byteOrder: 'big', wordOrder: 'big', registers: [0xfb2e], value: -1234 },
  { type: 'int16', byteOrder: 'little', wordOrder: 'big', registers: [0x2efb], value: -1234 },
  { type: 'int16', byteOrder: 'big', wordOrder: 'little', registers: [0xfb2e], value: -1234 },
  { type: 'uint16', byteOrder: 'big', wordOrder: 'big', registers: [0xd431], value: 54321 },
  { type: 'uint16', byteOrder: 'little', wordOrder: 'big', registers: [0x31d4], value: 54321 },
  { type: 'uint16', byteOrder: 'big', wordOrder: 'big', registers: [0xffff], value: 65535 },
  // int32 -123456 = 0xFFFE1DC0
  { type: 'int32', byteOrder: 'big', wordOrder: 'big', registers: [0xfffe, 0x1dc0], value: -123456 },
  { type: 'int32', byteOrder: 'big', wordOrder: 'little', registers: [0x1dc0, 0xfffe], value: -123456 },
  { type: 'int32', byteOrder: 'little', wordOrder: 'big', registers: [0xfeff, 0xc01d], value: -123456 },
  { type: 'int32', byteOrder: 'little', wordOrder: 'little', registers: [0xc01d, 0xfeff], value: -123456 },
  // uint32 3,000,000,000 = 0xB2D05E00
  { type: 'uint32', byteOrder: 'big', wordOrder: 'big', registers: [0xb2d0, 0x5e00], value: 3_000_000_000 },
  { type: 'uint32', byteOrder: 'big', wordOrder: 'little', registers: [0x5e00, 0xb2d0], value: 3_000_000_000 },
  { type: 'uint32', byteOrder: 'little', wordOrder: 'big', registers: [0xd0b2, 0x005e], value: 3_000_000_000 },
  { type: 'uint32', byteOrder: 'little', wordOrder: 'little', registers: [0x005e, 0xd0b2], value: 3_000_000_000 },
  // float32 21.5 = 0x41AC0000, -0.15625 = 0xBE200000
  { type: 'float32', byteOrder: 'big', wordOrder: 'big', registers: [0x41ac, 0x0000], value: 21.5 },
  { type: 'float32', byteOrder: 'big', wordOrder: 'little', registers: [0x0000, 0x41ac], value: 21.5 },
  { type: 'float32', byteOrder: 'little', wordOrder: 'big', registers: [0xac41, 0x0000], value: 21.5 },
  { type: 'float32', byteOrder: 'little', wordOrder: 'little', registers: [0x0000, 0xac41], value: 21.5 },
  { type: 'float32', byteOrder: 'big', wordOrder: 'big', registers: [0xbe20, 0x0000], value: -0.15625 },
];

describe('decodeRegisters', () => {
  it.each(ROWS)('$type byteOrder=$byteOrder wordOrder=$wordOrder $registers -> $value', (row) => {
    expect(decodeRegisters(row.registers, row.type, row.byteOrder, row.wordOrder)).toBe(row.value);
  });

  it('gives NaN for a float32 NaN pattern, so the driver can mark the sample bad', () => {
    expect(decodeRegisters([0x7fc0, 0x0000], 'float32', 'big', 'big')).toBeNaN();
  });
});

describe('encodeRegisters', () => {
  it.each(ROWS)('$type byteOrder=$byteOrder wordOrder=$wordOrder $value -> $registers', (row) => {
    expect(encodeRegisters(row.value, row.type, row.byteOrder, row.wordOrder)).toEqual(row.registers);
  });

  const VALUES: Record<RegisterType, number[]> = {
    int16: [-32_768, -1, 0, 1, 258, 32_767],
    uint16: [0, 1, 258, 65_535],
    int32: [-2_147_483_648, -123_456, -1, 0, 65_536, 2_147_483_647],
    uint32: [0, 1, 65_536, 3_000_000_000, 4_294_967_295],
    float32: [0, -0.15625, 21.5, 1e-30, -3.4e38],
  };
  const ORDERS: Endianness[] = ['big', 'little'];
  const CASES = Object.entries(VALUES).flatMap(([type, values]) =>
    ORDERS.flatMap((byteOrder) => ORDERS.map((wordOrder) => ({ type: type as RegisterType, byteOrder, wordOrder, values }))),
  );

  it.each(CASES)('round-trips $type byteOrder=$byteOrder wordOrder=$wordOrder', ({ type, byteOrder, wordOrder, values }) => {
    for (const value of values) {
      const registers = encodeRegisters(value, type, byteOrder, wordOrder);
      expect(registers.every((register) => Number.isInteger(register) && register >= 0 && register <= 0xffff)).toBe(true);
      expect(decodeRegisters(registers, type, byteOrder, wordOrder)).toBe(type === 'float32' ? Math.fround(value) : value);
    }
  });
});
