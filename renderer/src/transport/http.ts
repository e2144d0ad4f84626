import type { z } from 'zod';
import { ErrorResponse } from '../../../shared/protocol/api.js';
import { currentToken, openLogin, setSession } from '../stores/auth-store.js';
import { redundancyStore } from '../stores/redundancy-store.js';
import { apiUrl } from './node-urls.js';

/** A failed HTTP call, with the server's own sentence when it gave one. */
export class HttpError extends Error {
  constructor(
    message: string,
    /** 0 when the server could not be reached at all. */
    readonly status: number,
    /** The server's error code (`notServer`, `conflict`, ...), when it gave one. */
    readonly code: string | null = null,
  ) {
    super(message);
    this.name = 'HttpError';
  }

  /** Worth repeating with the same request id: the node may be switching over. */
  get transient(): boolean {
    return this.status === 0 || this.status === 502 || this.status === 503 || this.status === 504;
  }
}

/** A frozen or cut-off server never answers and sends no error either; give up on it after this. */
const GET_TIMEOUT_MS = 15_000;
/** Commands give up sooner, so a retry with the same request id can follow a switchover quickly. */
const POST_TIMEOUT_MS = 5_000;

/**
 * The URL of `/api/...` on `node` (by default the node this station takes its data from, which is
 * the Server whenever one can be reached); at the page's origin for the node the page was loaded from.
 */
export function nodeApiUrl(path: string, node: string | null = redundancyStore.getState().dataNode): string {
  const base = node === null ? null : (redundancyStore.getState().addresses.get(node) ?? null);
  return apiUrl(path, base, globalThis.location);
}

/** `path` is `/api/...` on the node this station takes its data from, or a URL from `nodeApiUrl`. */
export function getJson<T>(path: string, schema: z.ZodType<T>, signal?: AbortSignal): Promise<T> {
  return request(resolve(path), schema, { method: 'GET' }, GET_TIMEOUT_MS, signal);
}

export function postJson<T>(path: string, body: unknown, schema: z.ZodType<T>): Promise<T> {
  const init = { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
  return request(resolve(path), schema, init, POST_TIMEOUT_MS);
}

function resolve(path: string): string {
  return path.startsWith('/') ? nodeApiUrl(path) : path;
}

async function request<T>(path: string, schema: z.ZodType<T>, init: RequestInit, timeoutMs: number, signal?: AbortSignal): Promise<T> {
  const timeout = AbortSignal.timeout(timeoutMs);
  const token = currentToken();
  const headers = { ...(init.headers as Record<string, string> | undefined), ...(token ? { authorization: `Bearer ${token}` } : {}) };
  let response: Response;
  try {
    response = await fetch(path, { ...init, headers, signal: signal ? AbortSignal.any([signal, timeout]) : timeout });
  } catch (error) {
    if (signal?.aborted) throw error;
    const what = timeout.aborted ? `did not answer within ${timeoutMs / 1000} s` : 'could not be reached';
    throw new HttpError(`The server ${what} (${init.method} ${path}). Check the connection and try again.`, 0);
  }
  const text = await response.text();
  const json = parseJson(text);
  if (!response.ok) {
    const refusal = ErrorResponse.safeParse(json);
    const reason = refusal.success ? refusal.data.error.message : `HTTP ${response.status} ${response.statusText}`.trim();
    if (response.status === 401 && !path.endsWith('/api/login')) {
      // The token no longer holds (expired, signed out, user disabled) or a login is needed: ask for one.
      if (token) setSession(null);
      openLogin(reason);
    }
    throw new HttpError(reason, response.status, refusal.success ? refusal.data.error.code : null);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    console.warn(`tandem: unexpected answer from ${path}`, parsed.error.issues);
    throw new HttpError(`The server sent an answer this screen does not understand (${path}).`, response.status);
  }
  return parsed.data;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
