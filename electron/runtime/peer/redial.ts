/** The first retry comes quickly: most losses are a restart or a blip. */
const REDIAL_FIRST_MS = 100;
/** A node that comes back is found within a second, however long it was away. */
const REDIAL_MAX_MS = 1_000;

/** Dials a peer again after each lost connection: 100 ms, doubling to 1 s, forever until stopped. */
export class Redial {
  private delayMs = REDIAL_FIRST_MS;
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;

  constructor(private readonly dial: () => void) {}

  /** The link came up: after its next loss, retry quickly again. */
  connected(): void {
    this.delayMs = REDIAL_FIRST_MS;
  }

  lost(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.dial();
    }, this.delayMs);
    this.delayMs = Math.min(this.delayMs * 2, REDIAL_MAX_MS);
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
