import type { RegisterType } from '../../../../shared/project/modbus-address.js';
import type { Endianness } from '../../../../shared/project/project-schema.js';

/**
 * Turns the 16-bit registers a server returned into the value they encode. `wordOrder` big means the
 * first register holds the high word; `byteOrder` big means each register's high byte came first
 * (the Modbus standard; many devices swap one or both). Returns NaN or ±Infinity as they are for
 * float32: the caller decides what a non-finite value means.
 */
export function decodeRegisters(
  registers: readonly number[],
  type: RegisterType,
  byteOrder: Endianness,
  wordOrder: Endianness,
): number {
  const ordered = wordOrder === 'big' ? registers : [...registers].reverse();
  const bytes = Buffer.alloc(ordered.length * 2);
  ordered.forEach((register, i) => {
    if (byteOrder === 'big') bytes.writeUInt16BE(register, i * 2);
    else bytes.writeUInt16LE(register, i * 2);
  });
  switch (type) {
    case 'int16':
      return bytes.readInt16BE(0);
    case 'uint16':
      return bytes.readUInt16BE(0);
    case 'int32':
      return bytes.readInt32BE(0);
    case 'uint32':
      return bytes.readUInt32BE(0);
    case 'float32':
      return bytes.readFloatBE(0);
  }
}

/**
 * The registers to send for `value`, the inverse of `decodeRegisters` for the same type and orders.
 * The value must already fit the type (a whole number within its range, or a finite float32).
 */
export function encodeRegisters(value: number, type: RegisterType, byteOrder: Endianness, wordOrder: Endianness): number[] {
  const bytes = Buffer.alloc(type === 'int16' || type === 'uint16' ? 2 : 4);
  switch (type) {
    case 'int16':
      bytes.writeInt16BE(value, 0);
      break;
    case 'uint16':
      bytes.writeUInt16BE(value, 0);
      break;
    case 'int32':
      bytes.writeInt32BE(value, 0);
      break;
    case 'uint32':
      bytes.writeUInt32BE(value, 0);
      break;
    case 'float32':
      bytes.writeFloatBE(value, 0);
      break;
  }
  const registers = Array.from({ length: bytes.length / 2 }, (_, i) =>
    byteOrder === 'big' ? bytes.readUInt16BE(i * 2) : bytes.readUInt16LE(i * 2),
  );
  return wordOrder === 'big' ? registers : registers.reverse();
}
