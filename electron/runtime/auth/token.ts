import { createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';
import { join } from 'node:path';
import { z } from 'zod';
import { UserName } from '../../../shared/domain/user-role.js';
import { readOrCreateSecret } from './secret-files.js';

/** A shift: a station stays signed in this long, then asks for the password again. */
export const TOKEN_LIFETIME_MS = 8 * 3_600_000;
const KEY_BYTES = 32;

/** What a bearer token says: who, for which project, when it was issued and until when it holds. */
export const TokenClaims = z
  .object({
    v: z.literal(1),
    /** A random id, so one token can be signed out (deny-list.ts). */
    jti: z.string().min(8).max(64),
    user: UserName,
    project: z.string().min(1).max(100),
    iat: z.number().int(),
    exp: z.number().int(),
  })
  .strict();
export type TokenClaims = z.infer<typeof TokenClaims>;

export type TokenCheck = { ok: true; claims: TokenClaims } | { ok: false; reason: string };

/**
 * The key bearer tokens are signed with. Both nodes of a cluster derive the same key from the
 * cluster secret (HKDF-SHA256), so a station that follows a switchover stays signed in; a
 * standalone node keeps a random key in `<dataDir>/secrets/token-key` (0600).
 */
export function tokenKey(dataDir: string, cluster: { name: string; secret: string } | undefined): Buffer {
  if (cluster) return Buffer.from(hkdfSync('sha256', cluster.secret, `tandem-cluster/${cluster.name}`, 'tandem bearer token signing key v1', KEY_BYTES));
  return readOrCreateSecret(join(dataDir, 'secrets', 'token-key'), KEY_BYTES);
}

/** `<base64url(JSON claims)>.<base64url(HMAC-SHA256(key, first part))>` */
export class TokenSigner {
  constructor(private readonly key: Buffer) {}

  issue(user: string, project: string, nowMs: number): { token: string; claims: TokenClaims } {
    const claims: TokenClaims = { v: 1, jti: randomBytes(12).toString('base64url'), user, project, iat: nowMs, exp: nowMs + TOKEN_LIFETIME_MS };
    const body = Buffer.from(JSON.stringify(claims)).toString('base64url');
    return { token: `${body}.${this.sign(body)}`, claims };
  }

  check(token: string, nowMs: number): TokenCheck {
    const [body, signature, extra] = token.split('.');
    if (!body || !signature || extra !== undefined) return { ok: false, reason: 'the token is malformed' };
    const expected = Buffer.from(this.sign(body));
    const given = Buffer.from(signature);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'the token is not valid here (wrong signature: signed by another cluster or altered)' };
    let json: unknown;
    try {
      json = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
    } catch {
      return { ok: false, reason: 'the token is malformed' };
    }
    const parsed = TokenClaims.safeParse(json);
    if (!parsed.success) return { ok: false, reason: 'the token is malformed' };
    if (parsed.data.exp <= nowMs) return { ok: false, reason: `the token expired at ${new Date(parsed.data.exp).toISOString()}; sign in again` };
    return { ok: true, claims: parsed.data };
  }

  private sign(body: string): string {
    return createHmac('sha256', this.key).update(body).digest('base64url');
  }
}
