import { format } from 'node:util';
import { setErrorLogger, setWarningLogger } from 'node-opcua-client';
import { log } from '../../log.js';

let routed = false;

/**
 * node-opcua prints its warnings and errors to stdout, which the runtime keeps for the lines a parent
 * process reads. Send them to the runtime log at debug level instead: the driver logs what a user
 * needs (lost connection, unreadable tag) in its own words, once per change.
 */
export function routeOpcuaLogs(): void {
  if (routed) return;
  routed = true;
  const toLog = (_context: unknown, ...args: unknown[]): void => log('debug', `node-opcua: ${format(...args).split('\n')[0] ?? ''}`);
  setWarningLogger(toLog);
  setErrorLogger(toLog);
}
