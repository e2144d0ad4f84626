import type { TagDef } from '../../../shared/project/project-schema.js';
import type { TagWrite, WriteOutcome } from '../../../shared/protocol/ops.js';
import type { Driver } from '../drivers/driver.js';
import { logError } from '../log.js';

/** Write commands waiting for the drivers at most; more are answered at once with an error. */
export const WRITE_COMMANDS_QUEUED_MAX = 100;
/** A driver that has not answered a write after this long gets it counted as failed (its own timeout should come first). */
const WRITE_ANSWER_MS_MAX = 15_000;

/**
 * Executes the Server's write commands one at a time, in the order they were confirmed, each value
 * through the driver of its tag. Every write ends with an outcome, whatever the driver does.
 */
export class DriverWriter {
  private readonly driverOf = new Map<string, Driver>();
  private queue: Promise<void> = Promise.resolve();
  private queued = 0;

  constructor(tags: readonly TagDef[], drivers: readonly Driver[]) {
    const byId = new Map(drivers.map((driver) => [driver.id, driver]));
    for (const tag of tags) {
      const driver = byId.get(tag.driver);
      if (driver) this.driverOf.set(tag.id, driver);
    }
  }

  /** Writes the values in order; `done` hears every outcome once they are all settled. */
  write(writes: readonly TagWrite[], done: (outcomes: WriteOutcome[]) => void): void {
    if (this.queued >= WRITE_COMMANDS_QUEUED_MAX) {
      done(writes.map((write) => ({ ...write, ok: false, error: `${WRITE_COMMANDS_QUEUED_MAX} write commands are already waiting for the drivers; try again shortly` })));
      return;
    }
    this.queued += 1;
    this.queue = this.queue
      .then(async () => {
        const outcomes: WriteOutcome[] = [];
        for (const write of writes) outcomes.push(await this.writeOne(write));
        this.queued -= 1;
        done(outcomes);
      })
      // A failure while handing the outcome on must not stop the writes queued after this one.
      .catch((error: unknown) => {
        logError('a write command could not be completed', error);
      });
  }

  private async writeOne(write: TagWrite): Promise<WriteOutcome> {
    const driver = this.driverOf.get(write.tag);
    if (!driver) return { ...write, ok: false, error: `tag ${write.tag} has no driver on this node` };
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<{ ok: false; error: string }>((resolve) => {
      timer = setTimeout(() => resolve({ ok: false, error: `driver ${driver.id} did not answer within ${WRITE_ANSWER_MS_MAX / 1000} s` }), WRITE_ANSWER_MS_MAX);
    });
    try {
      const outcome = await Promise.race([driver.write(write.tag, write.value), late]);
      return outcome.ok ? { ...write, ok: true, error: null } : { ...write, ok: false, error: outcome.error };
    } catch (error) {
      return { ...write, ok: false, error: `driver ${driver.id} failed: ${error instanceof Error ? error.message : String(error)}` };
    } finally {
      clearTimeout(timer);
    }
  }
}
