import { z } from 'zod';

/**
 * The frames that open a peer link, before any envelope: the dialer says who it is and whom it
 * wants, each side proves it knows the cluster secret by an HMAC over both sides' fresh nonces, and
 * the acceptor confirms. The secret itself never crosses the wire.
 */

export const PEER_PATH = '/peer';
/** Names the handshake and the HMAC input; a node speaking another version is refused, not misread. */
export const PEER_PROTOCOL = 'tandem-peer/1';
/** Connecting and proving both ways must finish within this, or the socket is closed. */
export const AUTH_TIMEOUT_MS = 5_000;
/**
 * The whole handshake is a few hundred bytes. A stranger sending more before authenticating is cut
 * off at once, so unauthenticated sockets cannot make a node buffer frames of up to 16 MiB each.
 */
export const HANDSHAKE_BYTES_MAX = 4096;

const Name = z.string().min(1).max(63);
/** 32 random bytes, base64url. */
const Nonce = z.string().regex(/^[A-Za-z0-9_-]{43}$/);
/** HMAC-SHA256, hex. */
const Proof = z.string().regex(/^[0-9a-f]{64}$/);

/** Dialer -> acceptor: who I am, which cluster, which node I mean to reach, my nonce. */
export const Hello = z.object({ type: z.literal('hello'), protocol: z.string().max(64), cluster: Name, from: Name, to: Name, nonce: Nonce }).strict();
/** Acceptor -> dialer: my nonce, and my proof over both nonces. */
export const Challenge = z.object({ type: z.literal('challenge'), nonce: Nonce, proof: Proof }).strict();
/** Dialer -> acceptor: my proof over both nonces. */
export const Answer = z.object({ type: z.literal('answer'), proof: Proof }).strict();
/** Acceptor -> dialer: both proven; envelopes may flow. */
export const Ready = z.object({ type: z.literal('ready') }).strict();

export type Hello = z.infer<typeof Hello>;
export type HandshakeFrame = Hello | z.infer<typeof Challenge> | z.infer<typeof Answer> | z.infer<typeof Ready>;

/** Why a side ends a link before it is up: a close code in the 4000 range and a short reason for the other side. */
export const REFUSALS = {
  badHandshake: { code: 4000, reason: 'bad handshake' },
  wrongProtocol: { code: 4001, reason: 'incompatible peer protocol' },
  wrongCluster: { code: 4002, reason: 'wrong cluster' },
  wrongNode: { code: 4003, reason: 'wrong node' },
  notAPeer: { code: 4004, reason: 'not a peer' },
  wrongDirection: { code: 4005, reason: 'wrong direction' },
  authFailed: { code: 4006, reason: 'authentication failed' },
  authTimeout: { code: 4007, reason: 'authentication timed out' },
  replaced: { code: 4008, reason: 'replaced by a newer connection' },
} as const;
export type RefusalKind = keyof typeof REFUSALS;

/** The reason for a close code we sent, or null: the text a peer sends is not trusted into our log. */
export function refusalReason(code: number): string | null {
  return Object.values(REFUSALS).find((refusal) => refusal.code === code)?.reason ?? null;
}
