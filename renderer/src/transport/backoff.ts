export const RECONNECT_DELAY_MIN_MS = 250;
export const RECONNECT_DELAY_MAX_MS = 2_000;

/** Delay before reconnect attempt number `attempt` (0 for the first after a loss). */
export function reconnectDelayMs(attempt: number): number {
  const exponent = Math.min(Math.max(attempt, 0), 16);
  return Math.min(RECONNECT_DELAY_MIN_MS * 2 ** exponent, RECONNECT_DELAY_MAX_MS);
}
