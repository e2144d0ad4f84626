import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { PEER_PROTOCOL } from './handshake-frames.js';

/** Everything one handshake binds: a proof made for one connection is worthless on any other. */
export interface AuthBinding {
  cluster: string;
  dialer: string;
  acceptor: string;
  dialerNonce: string;
  acceptorNonce: string;
}

/** Each side signs with its own role, so the acceptor's proof cannot be reflected back as the dialer's. */
export type AuthRole = 'dialer' | 'acceptor';

export function newNonce(): string {
  return randomBytes(32).toString('base64url');
}

export function proofOf(secret: string, role: AuthRole, binding: AuthBinding): string {
  // JSON keeps the fields apart: no two different bindings serialize to the same text.
  const text = JSON.stringify([PEER_PROTOCOL, role, binding.cluster, binding.dialer, binding.acceptor, binding.dialerNonce, binding.acceptorNonce]);
  return createHmac('sha256', secret).update(text).digest('hex');
}

/** `proof` is 64 hex digits (checked by the frame schema), so both buffers have the same length. */
export function proofMatches(secret: string, role: AuthRole, binding: AuthBinding, proof: string): boolean {
  return timingSafeEqual(Buffer.from(proofOf(secret, role, binding), 'hex'), Buffer.from(proof, 'hex'));
}
