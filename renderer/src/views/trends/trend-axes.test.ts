import { describe, expect, it } from 'vitest';
import { timeTickLabels, valueTickLabels } from './trend-axes.js';

const local = (text: string) => new Date(text).getTime();

describe('trend axes', () => {
  it('labels value ticks with one shared number of decimals', () => {
    expect(valueTickLabels([30, 32.5, 35])).toEqual(['30.0', '32.5', '35.0']);
    expect(valueTickLabels([17_956_766_000, 17_956_768_000])).toEqual(['17956766000', '17956768000']);
  });

  it('shows 24-hour times, seconds only for short steps, and the date once per day', () => {
    expect(timeTickLabels([local('2025-03-04T13:00:00'), local('2025-03-04T13:30:00')], 1_800_000)).toEqual([
      '13:00\n2025-03-04',
      '13:30',
    ]);
    expect(timeTickLabels([local('2025-03-04T23:30:00'), local('2025-03-05T00:00:00')], 1_800_000)).toEqual([
      '23:30',
      '00:00\n2025-03-05',
    ]);
    expect(timeTickLabels([local('2025-03-04T13:00:10')], 10_000)).toEqual(['13:00:10\n2025-03-04']);
  });
});
