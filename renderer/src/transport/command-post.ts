import type { z } from 'zod';
import { redundancyStore } from '../stores/redundancy-store.js';
import { HttpError, nodeApiUrl, postJson } from './http.js';

/** Waits before the retries of a command the pair could not take (it may be switching over). */
export const COMMAND_RETRY_DELAYS_MS: readonly number[] = [250, 500, 1_000, 2_000];

/**
 * The node a refusal names as the Server ("... The Server is pc-b."), if it is one of the project's.
 * The error carries no field for it, so the sentence is matched against the known names only.
 */
export function serverNamedIn(message: string, nodes: Iterable<string>): string | null {
  for (const node of nodes) if (message.includes(`The Server is ${node}.`)) return node;
  return null;
}

export interface RetryTarget {
  node: string | null;
  delayMs: number;
}

/**
 * Where and when to send a command again: straight to the Server a refusal named (unless the station
 * knows that node is down); otherwise to the node the station follows, after the next delay.
 */
export function retryTarget(refusedBy: string | null, named: string | null, dataNode: string | null, isDown: (node: string) => boolean, attempt: number): RetryTarget | null {
  const delayMs = COMMAND_RETRY_DELAYS_MS[attempt];
  if (delayMs === undefined) return null;
  if (named !== null && named !== refusedBy && !isDown(named)) return { node: named, delayMs: 0 };
  return { node: dataNode, delayMs };
}

/**
 * POSTs a command to the serving node, following a switchover: the body (and so its request id) is
 * the same on every try, so the pair applies it once however often it arrives.
 */
export async function postCommand<T>(path: string, body: object, schema: z.ZodType<T>, onRetry: () => void): Promise<T> {
  let node = redundancyStore.getState().dataNode;
  for (let attempt = 0; ; attempt++) {
    try {
      return await postJson(nodeApiUrl(path, node), body, schema);
    } catch (error) {
      if (!(error instanceof HttpError) || !error.transient) throw error;
      const { addresses, controls, dataNode } = redundancyStore.getState();
      const named = error.code === 'notServer' ? serverNamedIn(error.message, addresses.keys()) : null;
      const next = retryTarget(node, named, dataNode, (n) => controls.get(n) === 'down', attempt);
      if (next === null) throw error;
      onRetry();
      if (next.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, next.delayMs));
      node = next.node;
    }
  }
}
