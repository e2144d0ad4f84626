/** Wait before reconnection attempt `failures` (1 after the first failure): doubles from firstMs, capped at maxMs. */
export function reconnectDelayMs(failures: number, firstMs: number, maxMs: number): number {
  const doublings = Math.min(Math.max(0, failures - 1), 30);
  return Math.min(maxMs, firstMs * 2 ** doublings);
}
