/** Stores are updated at most this often, so React renders ~15 times a second however busy the link. */
export const FLUSH_INTERVAL_MIN_MS = 66;

export interface FlushScheduler {
  /** Asks for a flush on a coming animation frame, no sooner than the minimum interval. */
  request(): void;
  flushNow(): void;
  stop(): void;
}

export function createFlushScheduler(flush: () => void, intervalMinMs = FLUSH_INTERVAL_MIN_MS): FlushScheduler {
  let lastFlushAt = 0;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let frame: number | null = null;

  const run = () => {
    timer = null;
    frame = null;
    lastFlushAt = Date.now();
    flush();
  };

  // A hidden tab gets no animation frames; without this fallback its buffers would never drain.
  const onNextFrame = () => {
    timer = null;
    if (typeof requestAnimationFrame === 'function' && typeof document !== 'undefined' && !document.hidden) {
      frame = requestAnimationFrame(run);
    } else {
      timer = setTimeout(run, 0);
    }
  };

  return {
    request() {
      if (timer !== null || frame !== null) return;
      timer = setTimeout(onNextFrame, Math.max(0, lastFlushAt + intervalMinMs - Date.now()));
    },
    flushNow() {
      lastFlushAt = Date.now();
      flush();
    },
    stop() {
      if (timer !== null) clearTimeout(timer);
      if (frame !== null) cancelAnimationFrame(frame);
      timer = null;
      frame = null;
    },
  };
}
