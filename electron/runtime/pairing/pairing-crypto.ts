import { createCipheriv, createDecipheriv, createHash, createHmac, createPublicKey, diffieHellman, generateKeyPairSync, hkdfSync, randomBytes, timingSafeEqual, type KeyObject } from 'node:crypto';
import { PAIRING_PROTOCOL } from '../../../shared/protocol/pairing.js';

/** One X25519 key pair per pairing attempt; the private half never leaves this process. */
export interface PairingKeys {
  publicKey: string;
  privateKey: KeyObject;
}

/** Everything both nodes must agree on; the code, the keys and every proof are bound to all of it. */
export interface Transcript {
  id: string;
  server: string;
  standby: string;
  project: string;
  serverKey: string;
  standbyKey: string;
  serverNonce: string;
  standbyNonce: string;
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

/** The Server commits to its nonce before it sees the Standby's, so a man in the middle cannot choose nonces to make two codes match. */
export function commitmentOf(publicKey: string, nonce: string): string {
  return sha256([PAIRING_PROTOCOL, 'commit', publicKey, nonce]).toString('hex');
}

export function commitmentMatches(commitment: string, publicKey: string, nonce: string): boolean {
  return equalHex(commitmentOf(publicKey, nonce), commitment);
}

/** The six digits: a short hash of the whole transcript, so both nodes compute it and it never travels. */
export function pairingCode(t: Transcript): string {
  const digest = sha256([PAIRING_PROTOCOL, 'code', ...transcriptFields(t)]);
  return (digest.readBigUInt64BE(0) % 1_000_000n).toString().padStart(6, '0');
}

/** Both are six digits (the caller checks the typed one's form first). */
export function codesMatch(typed: string, expected: string): boolean {
  return timingSafeEqual(Buffer.from(typed), Buffer.from(expected));
}

/** Keys from the X25519 shared secret, salted with the transcript and bound to the code. */
export function sessionKeys(own: KeyObject, peerPublicKey: string, t: Transcript, code: string): SessionKeys {
  const peer = createPublicKey({ key: { kty: 'OKP', crv: 'X25519', x: peerPublicKey }, format: 'jwk' });
  const shared = diffieHellman({ privateKey: own, publicKey: peer });
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
  return [t.id, t.server, t.standby, t.project, t.serverKey, t.standbyKey, t.serverNonce, t.standbyNonce];
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
