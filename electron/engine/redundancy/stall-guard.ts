import type { PairConfig } from './engine-types.js';
import type { PairState } from './pair-state.js';

/**
 * The longest gap between two inputs that still counts as this node running. Past it, the node itself
 * stood still (its event loop blocked, by a long synchronous write say): what the peer, the Server or a
 * witness sent meanwhile waits unread, so that silence is not theirs (the host ticks every 50 ms at most).
 */
export function stallThresholdMs(config: Pick<PairConfig, 'heartbeatMs' | 'failureTimeoutMs'>): number {
  return Math.max(2 * config.heartbeatMs, config.failureTimeoutMs / 2);
}

/** Moves the node's time to an input's `nowMs`, first discounting a stall before it. */
export function advanceClock(s: PairState, nowMs: number): void {
  const gapMs = nowMs - s.nowMs;
  if (gapMs > stallThresholdMs(s.config)) discountStall(s, gapMs);
  s.nowMs = Math.max(s.nowMs, nowMs);
}

/**
 * This node stood still for `stallMs` (timers run before sockets are read, so this input comes before
 * the messages that waited): every time a silence is measured from moves forward by the stall, and a
 * peer that spoke just before it still gets its full failure timeout once this node runs again.
 */
function discountStall(s: PairState, stallMs: number): void {
  if (s.peer.heardAtMs !== null) s.peer.heardAtMs += stallMs;
  if (s.witnessAliveAtMs !== null) s.witnessAliveAtMs += stallMs;
  s.serverHeardAtMs += stallMs;
  s.startedAtMs += stallMs;
  s.stalledMs += stallMs;
}
