import { describe, expect, it } from 'vitest';
import { formatDateTime, formatDuration, formatNumber, formatValue, parseLocalDateTime } from './format.js';

describe('formatValue', () => {
  it('shows booleans as words', () => {
    expect(formatValue(0, 'boolean')).toBe('off');
    expect(formatValue(1, 'boolean')).toBe('on');
  });

  it('shows numbers with decimals by magnitude, and the unit', () => {
    expect(formatValue(42, 'number', 'bar')).toBe('42 bar');
    expect(formatValue(3.14159, 'number', '°C')).toBe('3.14 °C');
    expect(formatValue(123.456, 'number')).toBe('123.5');
    expect(formatValue(0.01234, 'number')).toBe('0.012');
    expect(formatValue(12_345.6, 'number')).toBe('12346');
    expect(formatValue(null, 'number', 'bar')).toBe('—');
  });

  it('keeps a fixed number of decimals so live values do not jump in width', () => {
    expect(formatNumber(2.5)).toBe('2.50');
  });
});

describe('time formats', () => {
  it('round-trips a local date-time field', () => {
    const ms = parseLocalDateTime('2025-03-04T05:06:07');
    expect(ms).not.toBeNull();
    expect(formatDateTime(ms)).toBe('2025-03-04 05:06:07');
    expect(parseLocalDateTime('')).toBeNull();
  });

  it('says how long ago in seconds, then minutes', () => {
    expect(formatDuration(3_400)).toBe('3 s');
    expect(formatDuration(10 * 60_000)).toBe('10 min');
  });
});
