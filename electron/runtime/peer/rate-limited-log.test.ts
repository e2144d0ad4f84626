import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { RateLimitedLog } from './rate-limited-log.js';

let lines: string[] = [];
let nowMs = 0;
const clock = { now: () => nowMs };

beforeEach(() => {
  lines = [];
  nowMs = 1_000_000;
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
    lines.push(String(chunk).replace(/^\S+ /, '').trimEnd());
    return true;
  });
});

afterEach(() => vi.restoreAllMocks());

describe('RateLimitedLog', () => {
  it('logs a key once a minute and then says how many lines it held back', () => {
    const warnings = new RateLimitedLog(clock);
    warnings.log('warn', 'refused|pc-c', 'refused pc-c');
    nowMs += 1_000;
    warnings.log('warn', 'refused|pc-c', 'refused pc-c');
    warnings.log('warn', 'refused|pc-d', 'refused pc-d');
    nowMs += 58_999;
    warnings.log('warn', 'refused|pc-c', 'refused pc-c');
    nowMs += 1;
    warnings.log('warn', 'refused|pc-c', 'refused pc-c');
    expect(lines).toEqual(['warn  refused pc-c', 'warn  refused pc-d', 'warn  refused pc-c (2 more like this since the last such line)']);
  });

  it('forgets the oldest keys beyond 256, so strangers cannot grow its memory', () => {
    const warnings = new RateLimitedLog(clock);
    for (let i = 0; i <= 256; i++) warnings.log('warn', `refused|10.0.0.${i}`, `refused 10.0.0.${i}`);
    warnings.log('warn', 'refused|10.0.0.0', 'refused 10.0.0.0 again');
    warnings.log('warn', 'refused|10.0.0.256', 'refused 10.0.0.256 again');
    expect(lines.slice(257)).toEqual(['warn  refused 10.0.0.0 again']);
  });
});
