import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { app, dialog } from 'electron';
import { dataDirOf, listeningUrl, runtimeArgs, withPort } from './runtime-cli.js';

/**
 * The runtime runs in its own process, so nothing the window does (a heavy trend, a hung page)
 * can delay the redundancy heartbeats. It is the same program as `tandem serve`, run by Electron's
 * own binary as plain Node. If it dies it is restarted after a growing delay, a bounded number of
 * times in a row; it is stopped, and waited for, before the app quits.
 */
export interface RuntimeHandle {
  /** True for URLs of the runtime this app started: the only content a window may show or trust. */
  serves(url: string): boolean;
  /** Called with the runtime's URL each time a runtime process starts listening. */
  onListening(listener: (url: string) => void): void;
  /** The runtime's data folder: its certificate and the pair it is in. */
  readonly dataDir: string;
}

const runtimeEntry = fileURLToPath(new URL('../runtime/cli/main.js', import.meta.url));
const restartsInRowMax = 5;
const restartDelayFirstMs = 500;
const restartDelayMaxMs = 8_000;
// A runtime that stayed up this long has recovered: the next death starts a fresh series.
const upForRecoveryMs = 60_000;
// Opening large databases takes a while; a runtime silent for this long is hung, not slow.
const startTimeoutMs = 60_000;
const stopTimeoutMs = 10_000;
// `tandem serve` exits 1 when it cannot run (project file, database, port) and 2 for a bad command
// line: before a first listen, neither gets better by trying again.
const refusedExitCodes = [1, 2];

// A packaged app runs the runtime on Electron's own Node, for which better-sqlite3 was rebuilt. In a
// source checkout better-sqlite3 is built for the system Node (tests and `tandem serve` use it), so
// `npm start` and the desktop e2e spec name that Node here.
const runtimeNode = app.isPackaged ? undefined : process.env.TANDEM_RUNTIME_NODE;

export function setupRuntime(): RuntimeHandle {
  const supervisor = new RuntimeSupervisor(join(app.getPath('userData'), 'data'));
  let stopped = false;
  app.on('before-quit', (event) => {
    if (stopped) return;
    event.preventDefault();
    void supervisor.stop().then(() => {
      stopped = true;
      app.quit();
    });
  });
  // Last resort when the app ends without 'before-quit' (app.exit, a fatal error in main).
  process.once('exit', () => supervisor.child?.kill('SIGTERM'));
  supervisor.start();
  return {
    serves: (url) => supervisor.origin !== undefined && URL.canParse(url) && new URL(url).origin === supervisor.origin,
    onListening: (listener) => void supervisor.listeners.push(listener),
    dataDir: dataDirOf(supervisor.args),
  };
}

class RuntimeSupervisor {
  child: ChildProcess | undefined;
  origin: string | undefined;
  readonly listeners: Array<(url: string) => void> = [];
  args: string[];
  private failuresInRow = 0;
  private lastError = 'The runtime gave no reason; start Tandem from a terminal to see its output.';
  private restartTimer: NodeJS.Timeout | undefined;
  private stopped: Promise<void> | undefined;

  constructor(private readonly dataDir: string) {
    this.args = runtimeArgs(process.argv, dataDir);
  }

  start(): void {
    const runtime = fork(runtimeEntry, this.args, {
      execPath: runtimeNode ?? process.execPath,
      env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
      // Electron's own switches (e.g. --inspect from a debugger or Playwright) are not the runtime's.
      execArgv: [],
      // The IPC channel carries no messages: it closes when main dies, which the runtime can see.
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    this.child = runtime;
    const startTimer = setTimeout(() => runtime.kill('SIGKILL'), startTimeoutMs);
    let recoveryTimer: NodeJS.Timeout | undefined;
    createInterface({ input: runtime.stdout! }).on('line', (line) => {
      process.stdout.write(`${line}\n`);
      const url = listeningUrl(line);
      if (url === undefined) return;
      clearTimeout(startTimer);
      recoveryTimer = setTimeout(() => {
        this.failuresInRow = 0;
      }, upForRecoveryMs);
      this.listening(url);
    });
    createInterface({ input: runtime.stderr! }).on('line', (line) => {
      process.stderr.write(`${line}\n`);
      // The runtime's own words for why it cannot run; the log lines around it carry the details.
      if (line.startsWith('tandem: ')) this.lastError = line;
    });
    runtime.on('error', (error) => console.error(`tandem desktop: runtime process: ${error.message}`));
    runtime.once('exit', (code, signal) => {
      clearTimeout(startTimer);
      clearTimeout(recoveryTimer);
      this.child = undefined;
      if (this.stopped === undefined) this.restartOrGiveUp(code, signal);
    });
  }

  /** Stops the runtime with SIGTERM, so it records the stop and closes its databases; SIGKILL if it hangs. */
  stop(): Promise<void> {
    clearTimeout(this.restartTimer);
    this.stopped ??= new Promise<void>((resolve) => {
      const runtime = this.child;
      if (runtime === undefined) return resolve();
      const killTimer = setTimeout(() => runtime.kill('SIGKILL'), stopTimeoutMs);
      runtime.once('exit', () => {
        clearTimeout(killTimer);
        resolve();
      });
      runtime.kill('SIGTERM');
    });
    return this.stopped;
  }

  private listening(url: string): void {
    // Restarts reuse the first port, so the open page reconnects to the same origin by itself.
    if (this.origin === undefined) this.args = withPort(this.args, new URL(url).port);
    this.origin = new URL(url).origin;
    for (const listener of this.listeners) listener(url);
  }

  private restartOrGiveUp(code: number | null, signal: NodeJS.Signals | null): void {
    const exit = signal === null ? `exit code ${code}` : `signal ${signal}`;
    this.failuresInRow += 1;
    if (this.origin === undefined && code !== null && refusedExitCodes.includes(code)) {
      return this.giveUp(`Tandem could not start its runtime (${exit}):\n${this.lastError}`);
    }
    if (this.failuresInRow > restartsInRowMax) {
      return this.giveUp(`The Tandem runtime stopped ${this.failuresInRow} times in a row (last: ${exit}).\n${this.lastError}`);
    }
    const delayMs = Math.min(restartDelayFirstMs * 2 ** (this.failuresInRow - 1), restartDelayMaxMs);
    console.error(`tandem desktop: runtime stopped (${exit}); restart ${this.failuresInRow} of ${restartsInRowMax} in ${delayMs} ms`);
    this.restartTimer = setTimeout(() => this.start(), delayMs);
  }

  private giveUp(what: string): void {
    dialog.showErrorBox('Tandem cannot run', `${what}\n\nData folder: ${this.dataDir}\nCorrect the cause above, then start Tandem again.`);
    app.quit();
  }
}
