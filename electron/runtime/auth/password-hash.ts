import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/**
 * scrypt, memory-hard: N = 2^15, r = 8, p = 1 takes 32 MiB and about 50-100 ms per hash on a plant
 * PC (OWASP's minimum is N = 2^17 with r = 8 at p = 1 for interactive logins on servers; 2^15 keeps a
 * login under a tenth of a second on the small PCs a plant runs, and the login rate limit bounds
 * online guessing). Parameters travel in the hash, so raising them later keeps old hashes valid.
 */
export const SCRYPT_PARAMS = { N: 2 ** 15, r: 8, p: 1 } as const;
const KEY_BYTES = 32;
const SALT_BYTES = 16;
/** Node refuses scrypt above 32 MiB unless allowed: 128 * N * r is exactly that, plus headroom. */
const MAX_MEMORY_BYTES = 64 * 1024 * 1024;

/** `scrypt$N$r$p$<salt base64>$<hash base64>` */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const { N, r, p } = SCRYPT_PARAMS;
  const key = await derive(password, salt, KEY_BYTES, { N, r, p, maxmem: MAX_MEMORY_BYTES });
  return `scrypt$${N}$${r}$${p}$${salt.toString('base64')}$${key.toString('base64')}`;
}

/** False for a wrong password and for a hash this code cannot read. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || salt === undefined || hash === undefined) return false;
  const expected = Buffer.from(hash, 'base64');
  const params = { N: Number(n), r: Number(r), p: Number(p), maxmem: MAX_MEMORY_BYTES };
  if (![params.N, params.r, params.p].every(Number.isSafeInteger) || expected.length === 0) return false;
  const key = await derive(password, Buffer.from(salt, 'base64'), expected.length, params);
  return timingSafeEqual(key, expected);
}

function derive(password: string, salt: Buffer, bytes: number, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => scrypt(password.normalize('NFC'), salt, bytes, options, (error, key) => (error ? reject(error) : resolve(key))));
}
