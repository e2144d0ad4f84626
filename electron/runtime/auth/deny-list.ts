/** Signed-out tokens remembered at most; past it the one that expires first is forgotten early. */
const DENIED_MAX = 10_000;

/**
 * Tokens signed out on this node (`POST /api/logout`), by token id, until they expire. Local to the
 * node and its memory: the other node of a pair, and this one after a restart, accept the token
 * until it expires (auth/DESIGN.md).
 */
export class DenyList {
  private readonly denied = new Map<string, number>();

  deny(jti: string, expMs: number, nowMs: number): void {
    for (const [id, exp] of this.denied) if (exp <= nowMs) this.denied.delete(id);
    if (this.denied.size >= DENIED_MAX) {
      const first = [...this.denied].sort((a, b) => a[1] - b[1])[0];
      if (first) this.denied.delete(first[0]);
    }
    this.denied.set(jti, expMs);
  }

  has(jti: string): boolean {
    return this.denied.has(jti);
  }
}
