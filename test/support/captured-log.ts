import { afterEach, beforeEach, vi } from 'vitest';

/**
 * The log lines (stderr) each test of the file writes, captured instead of printed, so a test can
 * check what was logged (and what never was, such as a secret). The array is emptied before each
 * test. Call once at the top level of a test file.
 */
export function captureLogLines(): string[] {
  const lines: string[] = [];
  beforeEach(() => {
    lines.length = 0;
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
      lines.push(String(chunk));
      return true;
    });
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });
  return lines;
}
