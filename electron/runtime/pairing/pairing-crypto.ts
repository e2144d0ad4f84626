import { createCipheriv, createDecipheriv, createHash, createHmac, createPublicKey, diffieHellman, generateKeyPairSync, hkdfSync, randomBytes, randomInt, timingSafeEqual, type KeyObject } from 'node:crypto';
import { PAIRING_PROTOCOL } from '../../../shared/protocol/pairing.js';

/** One X25519 key pair per pairing attempt; the private half never leaves this process. */
export interface PairingKeys {
  publicKey: string;
  privateKey: KeyObject;
}

/** Everything both nodes must agree on; the keys and every proof are bound to all of it. */
export interface Transcript {
  id: string;
  server: string;
  standby: string;
  project: string;
  /** Each side's public key as it travelled: masked with the code. */
  serverMasked: string;
  standbyMasked: string;
}

export interface SessionKeys {
  /** Keys the HMAC proofs that each side holds the same shared secret and transcript. */
  confirm: Buffer;
  /** AES-256-GCM key for the cluster document. */
  seal: Buffer;
}

/** Who signs a proof: a proof made by one side can never pass as the other's, or as a later step's. */
export type ProofRole = 'standby' | 'server' | 'applied';

export interface SealedBox {
  iv: string;
  data: string;
  tag: string;
}

export function newKeys(): PairingKeys {
  const { publicKey, privateKey } = generateKeyPairSync('x25519');
  return { publicKey: publicKey.export({ format: 'jwk' }).x!, privateKey };
}

export function newNonce(): string {
  return randomBytes(32).toString('base64url');
}

export function newPairingId(): string {
  return randomBytes(16).toString('hex');
}

/** The six digits the Server shows: random, known only to the Server until a person carries them to the Standby. */
export function newCode(): string {
  return randomInt(0, 1_000_000).toString().padStart(6, '0');
}

/**
 * EKE with X25519: a public key travels XORed with a pad derived from the code (and the attempt and
 * side), so only a node that knows the code recovers it. A man in the middle can test one code per
 * attempt: for any other he lacks the private key behind what the pad turns his bytes into. The top
 * bit (ignored by X25519) is random, so a wrong pad shows nothing there.
 */
export function maskKey(publicKey: string, code: string, id: string, side: 'server' | 'standby'): string {
  const bytes = Buffer.from(publicKey, 'base64url');
  bytes[31] = (bytes[31]! & 0x7f) | (randomInt(0, 2) << 7);
  return xor(bytes, pad(code, id, side)).toString('base64url');
}

export function unmaskKey(masked: string, code: string, id: string, side: 'server' | 'standby'): string {
  const bytes = xor(Buffer.from(masked, 'base64url'), pad(code, id, side));
  bytes[31] = bytes[31]! & 0x7f;
  return bytes.toString('base64url');
}

/**
 * Keys from the X25519 shared secret, salted with the transcript and bound to the code; null when
 * the peer's key is unusable (a wrong code can unmask to a point of small order).
 */
export function sessionKeys(own: KeyObject, peerPublicKey: string, t: Transcript, code: string): SessionKeys | null {
  let shared: Buffer;
  try {
    const peer = createPublicKey({ key: { kty: 'OKP', crv: 'X25519', x: peerPublicKey }, format: 'jwk' });
    shared = diffieHellman({ privateKey: own, publicKey: peer });
  } catch {
    return null;
  }
  const salt = sha256([PAIRING_PROTOCOL, 'transcript', ...transcriptFields(t)]);
  const okm = Buffer.from(hkdfSync('sha256', shared, salt, `${PAIRING_PROTOCOL} keys ${code}`, 64));
  return { confirm: okm.subarray(0, 32), seal: okm.subarray(32, 64) };
}

export function proofOf(keys: SessionKeys, role: ProofRole, t: Transcript): string {
  return createHmac('sha256', keys.confirm).update(JSON.stringify([PAIRING_PROTOCOL, role, ...transcriptFields(t)])).digest('hex');
}

export function proofMatches(keys: SessionKeys, role: ProofRole, t: Transcript, proof: string): boolean {
  return equalHex(proofOf(keys, role, t), proof);
}

/** The transcript is the associated data: a document sealed for one attempt opens in no other. */
export function seal(keys: SessionKeys, t: Transcript, plaintext: string): SealedBox {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', keys.seal, iv);
  cipher.setAAD(Buffer.from(JSON.stringify(transcriptFields(t))));
  const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return { iv: iv.toString('base64url'), data: data.toString('base64url'), tag: cipher.getAuthTag().toString('base64url') };
}

/** Throws when the box was not sealed with these keys for this transcript, or was altered. */
export function open(keys: SessionKeys, t: Transcript, box: SealedBox): string {
  const decipher = createDecipheriv('aes-256-gcm', keys.seal, Buffer.from(box.iv, 'base64url'));
  decipher.setAAD(Buffer.from(JSON.stringify(transcriptFields(t))));
  decipher.setAuthTag(Buffer.from(box.tag, 'base64url'));
  return Buffer.concat([decipher.update(Buffer.from(box.data, 'base64url')), decipher.final()]).toString('utf8');
}

/** A fresh random cluster secret, far above the schema's 16 characters. */
export function newClusterSecret(): string {
  return randomBytes(32).toString('base64url');
}

/** A proof that the sender of an unpair holds the cluster secret. */
export function unpairProof(secret: string, cluster: string, from: string, to: string, nonce: string): string {
  return createHmac('sha256', secret).update(JSON.stringify([PAIRING_PROTOCOL, 'unpair', cluster, from, to, nonce])).digest('hex');
}

export function unpairProofMatches(secret: string, cluster: string, from: string, to: string, nonce: string, proof: string): boolean {
  return equalHex(unpairProof(secret, cluster, from, to, nonce), proof);
}

function transcriptFields(t: Transcript): string[] {
  return [t.id, t.server, t.standby, t.project, t.serverMasked, t.standbyMasked];
}

function pad(code: string, id: string, side: 'server' | 'standby'): Buffer {
  return Buffer.from(hkdfSync('sha256', code, id, `${PAIRING_PROTOCOL} pad ${side}`, 32));
}

function xor(a: Buffer, b: Buffer): Buffer {
  return Buffer.from(a.map((byte, i) => byte ^ b[i]!));
}

function sha256(parts: string[]): Buffer {
  // JSON keeps the fields apart: no two different lists hash the same text.
  return createHash('sha256').update(JSON.stringify(parts)).digest();
}

/** Both are 64 hex digits (the schemas check proofs and commitments before they get here). */
function equalHex(expected: string, given: string): boolean {
  const a = Buffer.from(expected, 'hex');
  const b = Buffer.from(given, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}
