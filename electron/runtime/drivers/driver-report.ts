import type { DriverCounters, DriverState } from '../../../shared/protocol/entities.js';
import { log } from '../log.js';
import type { DriverSink } from './driver.js';

/** A tag as far as its own problem goes: the sentence last reported, or null while it reads fine. */
export interface TagWithError {
  id: string;
  error: string | null;
}

/**
 * What a driver's `status()` counts (state, error count, last error) and what the runtime last heard.
 * A state or reason is passed on only when it changes, so a retry that fails the same way does not
 * fill the event list; a tag's problem is counted and logged when it starts and when it ends.
 */
export class DriverReport {
  state: DriverState = 'disconnected';
  errors = 0;
  lastError: string | null = null;
  private reported: { state: DriverState; error: string | null } | null = null;

  constructor(
    private readonly id: string,
    private readonly type: string,
  ) {}

  counters(tags: number): DriverCounters {
    return { id: this.id, type: this.type, state: this.state, tags, errors: this.errors, lastError: this.lastError };
  }

  setState(sink: DriverSink | null, state: DriverState, error: string | null): void {
    this.state = state;
    if (this.reported?.state === state && this.reported.error === error) return;
    this.reported = { state, error };
    sink?.state(state, error);
  }

  /** Back to `disconnected`; the next start reports its states afresh. */
  stopped(): void {
    this.state = 'disconnected';
    this.reported = null;
  }

  /** The reason last passed to the runtime with state `error`, if that is the current state. */
  reportedError(): string | null {
    return this.reported?.state === 'error' ? this.reported.error : null;
  }

  recordError(message: string): void {
    this.errors += 1;
    this.lastError = message;
  }

  /** `where` names the tag's address in the message (`hr:100`, `ns=1;s=Level`). */
  noteTagError(tag: TagWithError, where: string, error: string | null): void {
    if (error === tag.error) return;
    if (error) {
      this.recordError(`tag ${tag.id} (${where}): ${error}`);
      log('warn', `${this.type} ${this.id} ${this.lastError ?? ''}`);
    } else {
      log('info', `${this.type} ${this.id} tag ${tag.id} reads again`);
    }
    tag.error = error;
  }
}
