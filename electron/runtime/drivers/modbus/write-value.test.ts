import { describe, expect, it } from 'vitest';
import { parseModbusAddress, type ModbusAddress } from '../../../../shared/project/modbus-address.js';
import { ModbusSettings, type Scaling } from '../../../../shared/project/project-schema.js';
import { writeRequest } from './write-value.js';

const SETTINGS = ModbusSettings.parse({ host: 'plc' });

function tag(address: string, scaling?: Scaling) {
  const parsed = parseModbusAddress(address, SETTINGS) as ModbusAddress;
  return { id: 'Plc.Tag', address: parsed, scaling };
}

describe('writeRequest', () => {
  it('encodes holding registers in the tag type and word order', () => {
    expect(writeRequest(tag('hr:3:int16'), -1234)).toEqual({ area: 'hr', offset: 3, registers: [0xfb2e] });
    expect(writeRequest(tag('hr:8:float32?wordOrder=little'), 21.5)).toEqual({ area: 'hr', offset: 8, registers: [0x0000, 0x41ac] });
    expect(writeRequest(tag('hr:2:uint32'), 3_000_000_000)).toEqual({ area: 'hr', offset: 2, registers: [0xb2d0, 0x5e00] });
  });

  it('inverts the scale and rounds for integer types', () => {
    const level = tag('hr:0:int16', { rawLow: 0, rawHigh: 27648, euLow: 0, euHigh: 100 });
    expect(writeRequest(level, 50)).toEqual({ area: 'hr', offset: 0, registers: [13824] });
    expect(writeRequest(level, 33.333)).toEqual({ area: 'hr', offset: 0, registers: [9216] });
    expect(writeRequest(tag('hr:0:int16'), 12.5)).toEqual({ area: 'hr', offset: 0, registers: [13] });
  });

  it('writes 0 or 1 to a coil and refuses anything else', () => {
    expect(writeRequest(tag('co:4'), 1)).toEqual({ area: 'co', offset: 4, bit: 1 });
    expect(writeRequest(tag('co:4'), 0)).toEqual({ area: 'co', offset: 4, bit: 0 });
    expect(writeRequest(tag('co:4'), 2)).toBe('cannot write 2 to Plc.Tag: co:4 is a coil, which takes 0 or 1');
  });

  it('refuses input registers and discrete inputs, which Modbus only reads', () => {
    expect(writeRequest(tag('ir:0'), 1)).toBe('cannot write to Plc.Tag: ir:0 is an input register, which Modbus only reads (holding registers and coils take writes)');
    expect(writeRequest(tag('di:1'), 1)).toMatch(/di:1 is a discrete input/);
  });

  it('refuses a value outside the type range, naming tag, value and range', () => {
    expect(writeRequest(tag('hr:0:int16'), 40_000)).toBe('cannot write 40000 to Plc.Tag: hr:0 is a int16, which holds -32768 to 32767');
    expect(writeRequest(tag('hr:1'), -1)).toBe('cannot write -1 to Plc.Tag: hr:1 is a uint16, which holds 0 to 65535');
    expect(writeRequest(tag('hr:1'), 65_535.4)).toMatchObject({ registers: [65_535] });
    expect(writeRequest(tag('hr:1', { rawLow: 0, rawHigh: 1000, euLow: 0, euHigh: 100 }), 7000)).toBe(
      'cannot write 7000 to Plc.Tag: it scales to 70000, and hr:1 is a uint16, which holds 0 to 65535 (0 to 6553.5 in engineering units)',
    );
    expect(writeRequest(tag('hr:6:float32'), 1e39)).toMatch(/^cannot write 1e\+39 to Plc.Tag: hr:6 is a float32/);
  });

  it('refuses a value that is not a finite number', () => {
    expect(writeRequest(tag('hr:6:float32'), Number.NaN)).toBe('cannot write NaN to Plc.Tag: write a finite number');
  });
});
