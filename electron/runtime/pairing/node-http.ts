import { request as httpRequest, type IncomingMessage, type RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { z } from 'zod';
import { ErrorResponse } from '../../../shared/protocol/api.js';
import { peerFingerprint, pinnedConnect, PinMismatchError } from '../tls/pinned-tls.js';

/** A node that does not answer a pairing call within this is reported as unreachable. */
const CALL_TIMEOUT_MS = 5_000;
/** The largest answer read: a sealed cluster document with its project file. */
const ANSWER_BYTES_MAX = 12 * 1024 * 1024;

/** A call to another node that failed; `status` 0 when the node could not be reached at all. */
export class NodeCallError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code: string | null,
  ) {
    super(message);
  }
}

export interface NodeAnswer<T> {
  body: T;
  /** This node's own address on the connection: the address the other node reaches it at. */
  localAddress: string | null;
  /** Over https: the fingerprint of the certificate the other node showed. */
  fingerprint: string | null;
}

/**
 * Who the other node must be over https: `pin` the fingerprint of its certificate (pinned at
 * pairing, for `node`), or null while pairing, when the certificate is taken as shown and the
 * pairing protocol checks it afterwards (DESIGN.md).
 */
export interface NodeIdentity {
  node: string;
  pin: string | null;
}

/** POSTs JSON to another node's API and parses its answer; every failure is a NodeCallError with a sentence a user can act on. */
export function postToNode<T>(nodeUrl: string, path: string, body: unknown, schema: z.ZodType<T>, identity: NodeIdentity | null = null): Promise<NodeAnswer<T>> {
  const url = new URL(path, nodeUrl);
  const payload = JSON.stringify(body);
  const secure = url.protocol === 'https:';
  const send = secure ? httpsRequest : httpRequest;
  const tls = secure ? (identity?.pin ? { createConnection: pinnedConnect(identity.pin, identity.node) as unknown as RequestOptions['createConnection'] } : { agent: false, rejectUnauthorized: false }) : {};
  return new Promise((resolve, reject) => {
    let localAddress: string | null = null;
    const req = send(url, { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }, timeout: CALL_TIMEOUT_MS, ...tls }, (res) => {
      const fingerprint = peerFingerprint(res.socket);
      readAnswer(res).then((text) => resolve({ body: parseAnswer(url, res.statusCode ?? 0, text, schema), localAddress, fingerprint }), reject).catch(reject);
    });
    req.on('socket', (socket) => socket.once('connect', () => (localAddress = socket.localAddress ?? null)));
    req.on('timeout', () => req.destroy(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' })));
    req.on('error', (error: NodeJS.ErrnoException) => {
      reject(new NodeCallError(error instanceof PinMismatchError ? error.message : `could not reach ${url.origin}: ${unreachableWhy(error.code)}`, 0, null));
    });
    req.end(payload);
  });
}

function readAnswer(res: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    res.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > ANSWER_BYTES_MAX) {
        res.destroy();
        reject(new NodeCallError(`the answer was larger than ${ANSWER_BYTES_MAX} bytes`, 0, null));
      } else chunks.push(chunk);
    });
    res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    res.on('error', (error) => reject(new NodeCallError(`the answer broke off: ${error.message}`, 0, null)));
  });
}

function parseAnswer<T>(url: URL, status: number, text: string, schema: z.ZodType<T>): T {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new NodeCallError(`${url.origin} did not answer as a Tandem node (HTTP ${status}, not JSON); is that address really a Tandem PC?`, status, null);
  }
  if (status < 200 || status >= 300) {
    const refusal = ErrorResponse.safeParse(json);
    if (refusal.success) throw new NodeCallError(refusal.data.error.message, status, refusal.data.error.code);
    throw new NodeCallError(`${url.origin} answered HTTP ${status}`, status, null);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw new NodeCallError(`${url.origin} answered ${url.pathname} with something this version does not understand; run the same Tandem version on both PCs`, status, null);
  return parsed.data;
}

function unreachableWhy(code: string | undefined): string {
  switch (code) {
    case 'ECONNREFUSED':
      return 'nothing answers at that address and port; check that Tandem runs on that PC and the port is right';
    case 'ETIMEDOUT':
      return `no answer within ${CALL_TIMEOUT_MS / 1000} s; check that the PC is on and no firewall blocks the port`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'no PC has that name on the network; check the spelling or type its IP address';
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return 'the network has no route to it; check the cable and the address';
    default:
      return `the connection failed (${code ?? 'unknown error'})`;
  }
}
