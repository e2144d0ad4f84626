import { randomBytes } from 'node:crypto';

/**
 * Runtime log: one line per event on stderr, so stdout stays for the few lines a user or a parent
 * process reads (the listening address). Errors carry a correlation id that the user-facing
 * message repeats, so a support engineer finds the stack trace.
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

const LEVELS: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };
let threshold = LEVELS[(process.env.TANDEM_LOG_LEVEL as LogLevel | undefined) ?? 'info'] ?? LEVELS.info;

export function setLogLevel(level: LogLevel): void {
  threshold = LEVELS[level];
}

export function log(level: LogLevel, message: string, fields?: Record<string, unknown>): void {
  if (LEVELS[level] < threshold) return;
  const extra = fields ? ' ' + JSON.stringify(fields) : '';
  process.stderr.write(`${new Date().toISOString()} ${level.padEnd(5)} ${message}${extra}\n`);
}

/** Logs an unexpected error with its stack under a new correlation id and returns that id. */
export function logError(context: string, error: unknown): string {
  const correlationId = randomBytes(4).toString('hex');
  const stack = error instanceof Error ? (error.stack ?? error.message) : String(error);
  log('error', `${context} [${correlationId}]`, { stack });
  return correlationId;
}
