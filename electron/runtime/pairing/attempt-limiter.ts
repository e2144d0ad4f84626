import type { Clock } from '../clock.js';

/** At most `max` attempts in any `windowMs`: what a node lets strangers try before it says "wait". */
export class AttemptLimiter {
  private readonly times: number[] = [];

  constructor(
    private readonly max: number,
    private readonly windowMs: number,
    private readonly clock: Clock,
  ) {}

  /** Counts an attempt; false (and not counted) when the window is full. */
  tryAttempt(): boolean {
    const nowMs = this.clock.now();
    while (this.times.length > 0 && nowMs - this.times[0]! >= this.windowMs) this.times.shift();
    if (this.times.length >= this.max) return false;
    this.times.push(nowMs);
    return true;
  }
}
