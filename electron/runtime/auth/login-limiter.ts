/** Wrong passwords (failed logins, wrong current passwords) a user name or a client address may give per window. */
export const LOGIN_FAILURES_MAX = 5;
export const LOGIN_WINDOW_MS = 5 * 60_000;
/** Keys remembered at most; past it the oldest are forgotten, so a flood of names cannot fill memory. */
const KEYS_MAX = 10_000;

/**
 * Counts wrong passwords per key (`user:<project>/<name>` and `addr:<ip>`) in a fixed window that
 * starts at the first failure: failed logins and wrong current passwords given to change one's own
 * count together. A key with LOGIN_FAILURES_MAX failures is refused until its window ends, even with
 * the right password, so guessing is bounded at 5 tries per 5 minutes per name and per address.
 * A try is counted as failed when it starts (`failed`) and taken back when the password was right
 * (`succeeded`): checking a password takes a while (scrypt), and guesses sent all at once must not
 * all pass the check before the first of them is counted.
 */
export class LoginLimiter {
  private readonly failures = new Map<string, { since: number; count: number }>();

  /** Milliseconds until any of these keys may try again; 0 when all may now. */
  retryAfterMs(keys: readonly string[], nowMs: number): number {
    let wait = 0;
    for (const key of keys) {
      const entry = this.failures.get(key);
      if (!entry) continue;
      if (nowMs - entry.since >= LOGIN_WINDOW_MS) {
        this.failures.delete(key);
        continue;
      }
      if (entry.count >= LOGIN_FAILURES_MAX) wait = Math.max(wait, entry.since + LOGIN_WINDOW_MS - nowMs);
    }
    return wait;
  }

  failed(keys: readonly string[], nowMs: number): void {
    for (const key of keys) {
      const entry = this.failures.get(key);
      if (entry && nowMs - entry.since < LOGIN_WINDOW_MS) {
        entry.count += 1;
        continue;
      }
      this.failures.delete(key);
      this.failures.set(key, { since: nowMs, count: 1 });
      if (this.failures.size > KEYS_MAX) this.failures.delete(this.failures.keys().next().value!);
    }
  }

  /**
   * The try counted by `failed` had the right password: it forgives its user name's failures, and
   * its address's count goes back to what it was before this try.
   */
  succeeded(userKey: string, addressKey: string): void {
    this.failures.delete(userKey);
    const entry = this.failures.get(addressKey);
    if (entry && --entry.count <= 0) this.failures.delete(addressKey);
  }
}
