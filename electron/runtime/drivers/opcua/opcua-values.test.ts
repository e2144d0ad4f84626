import { describe, expect, it } from 'vitest';
import { engineeringValue, qualityOf, sampleTime, wireValue } from './opcua-values.js';

const SCALE = { rawLow: 0, rawHigh: 27648, euLow: 0, euHigh: 100 };

describe('qualityOf', () => {
  it.each([
    [0x00000000, 'good'],
    [0x40a40000, 'stale'],
    [0x808d0000, 'bad'],
    [0xc0000000, 'bad'],
  ])('StatusCode %s is %s', (code, quality) => expect(qualityOf(code)).toBe(quality));
});

describe('sampleTime', () => {
  const source = new Date('2024-03-01T12:00:00Z');
  const server = new Date('2024-03-01T12:00:01Z');
  it('prefers the source timestamp, then the server timestamp, then the local clock', () => {
    expect(sampleTime(source, server, 5)).toBe(source.getTime());
    expect(sampleTime(null, server, 5)).toBe(server.getTime());
    expect(sampleTime(null, null, 5)).toBe(5);
  });
  it('treats OPC UA\'s "no time" (1601) as missing', () => {
    expect(sampleTime(new Date('1601-01-01T00:00:00Z'), null, 5)).toBe(5);
  });
});

describe('engineeringValue', () => {
  it.each([
    ['Double', 21.5, false, undefined, 21.5],
    ['UInt16', 13824, false, SCALE, 50],
    ['Boolean', true, true, undefined, 1],
    ['Boolean', false, true, undefined, 0],
    ['Int32', 5, true, undefined, 1],
    ['Int64', [1, 0], false, undefined, 2 ** 32],
    ['UInt64', [0, 0xffffffff], false, undefined, 4_294_967_295],
    ['Double', Number.NaN, false, undefined, null],
    ['Float', Number.POSITIVE_INFINITY, false, undefined, null],
    ['Double', 'text', false, undefined, null],
  ] as const)('%s %j (boolean tag %s) reads as %s', (type, raw, boolean, scaling, expected) => {
    expect(engineeringValue(type, raw, boolean, scaling)).toBe(expected);
  });
});

describe('wireValue', () => {
  it.each([
    ['Double', 42.5, false, undefined, { ok: true, value: 42.5 }],
    ['Float', 1.25, false, undefined, { ok: true, value: 1.25 }],
    ['Int16', -300, false, undefined, { ok: true, value: -300 }],
    ['UInt16', 50, false, SCALE, { ok: true, value: 13824 }],
    ['Boolean', 1, true, undefined, { ok: true, value: true }],
    ['Boolean', 0, true, undefined, { ok: true, value: false }],
    ['Int16', 3.5, false, undefined, { ok: false, error: 'the node is an Int16 and takes whole numbers, not 3.5' }],
    ['Byte', 256, false, undefined, { ok: false, error: '256 is outside the Byte range 0 to 255' }],
    ['UInt32', -1, false, undefined, { ok: false, error: '-1 is outside the UInt32 range 0 to 4294967295' }],
    ['Boolean', 2, true, undefined, { ok: false, error: 'the node is a Boolean and takes 0 or 1, not 2' }],
    ['Float', 1e39, false, undefined, { ok: false, error: '1e+39 does not fit the node\'s Float' }],
    ['Int64', 1, false, undefined, { ok: false, error: 'writing Int64 nodes is not supported; use a Double, Float or a 8/16/32-bit integer node' }],
    ['Double', Number.NaN, false, undefined, { ok: false, error: 'NaN is not a finite number' }],
  ] as const)('%s %s (boolean tag %s) is written as %j', (type, value, boolean, scaling, expected) => {
    expect(wireValue(type, value, boolean, scaling)).toEqual(expected);
  });
});
