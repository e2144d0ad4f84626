import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/** How often the worker copies the write-ahead log into the database file. */
const CHECKPOINT_EVERY_MS = 250;
/** How long close() waits for a checkpoint in progress to end. */
const STOP_WAIT_MS = 10_000;

/**
 * The worker's code: its own connection to the project's file, a PASSIVE checkpoint (never blocks the
 * writer) every few hundred ms, and on request it closes and says so through the shared flag.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.betterSqlite3);
const flag = new Int32Array(workerData.flag);
const db = new Database(workerData.file, { timeout: 1000 });
let timer = setInterval(() => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch (error) {
    parentPort.postMessage(String(error && error.message || error));
  }
}, workerData.everyMs);
parentPort.on('message', () => {
  clearInterval(timer);
  db.close();
  Atomics.store(flag, 0, 1);
  Atomics.notify(flag, 0);
  parentPort.close();
});
`;

/**
 * Checkpoints one project's SQLite file from a worker thread. A checkpoint copies what the write-ahead
 * log gathered into the database file and syncs it: at 100,000 samples/s that was about 40% of the
 * time spent storing, in stalls of up to 100 ms on the thread that also sends heartbeats. The writing
 * connection has automatic checkpoints turned off; this thread does them instead, beside it.
 */
export class Checkpointer {
  readonly #worker: Worker;
  readonly #flag = new Int32Array(new SharedArrayBuffer(4));
  #stopped = false;

  constructor(file: string, onError: (message: string) => void) {
    const betterSqlite3 = createRequire(import.meta.url).resolve('better-sqlite3');
    this.#worker = new Worker(WORKER_SOURCE, {
      eval: true,
      // Not the parent's flags: a loader or --input-type=module would change how this source runs.
      execArgv: [],
      workerData: { file, betterSqlite3, flag: this.#flag.buffer, everyMs: CHECKPOINT_EVERY_MS },
    });
    this.#worker.on('message', (message: string) => onError(`checkpoint of ${file}: ${message}`));
    this.#worker.on('error', (error) => onError(`checkpoint worker of ${file}: ${error.message}`));
    this.#worker.unref();
  }

  /** Closes the worker's connection before returning, so the file can be closed and reopened at once. */
  stop(): void {
    if (this.#stopped) return;
    this.#stopped = true;
    this.#worker.postMessage('stop');
    Atomics.wait(this.#flag, 0, 0, STOP_WAIT_MS);
    void this.#worker.terminate();
  }
}
