import type { Clock } from '../clock.js';
import { log, type LogLevel } from '../log.js';

/** A refused or broken link is retried every second forever; its cause is worth one line a minute. */
const WINDOW_MS = 60_000;
/** Keys include remote addresses, which a stranger chooses: the memory of them is bounded. */
const KEYS_MAX = 256;

interface Entry {
  loggedAtMs: number;
  suppressed: number;
}

/** Logs a line at most once per key per minute, and says how many like it were held back meanwhile. */
export class RateLimitedLog {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly clock: Clock) {}

  log(level: LogLevel, key: string, message: string): void {
    const nowMs = this.clock.now();
    const entry = this.entries.get(key);
    if (entry && nowMs - entry.loggedAtMs < WINDOW_MS) {
      entry.suppressed++;
      return;
    }
    // Re-inserting keeps the map ordered by the last time each key logged, oldest first.
    this.entries.delete(key);
    this.makeRoom(nowMs);
    this.entries.set(key, { loggedAtMs: nowMs, suppressed: 0 });
    const held = entry && entry.suppressed > 0 ? ` (${entry.suppressed} more like this since the last such line)` : '';
    log(level, message + held);
  }

  private makeRoom(nowMs: number): void {
    if (this.entries.size < KEYS_MAX) return;
    for (const [key, entry] of this.entries) {
      if (this.entries.size < KEYS_MAX && nowMs - entry.loggedAtMs < WINDOW_MS) return;
      this.entries.delete(key);
    }
  }
}
