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
