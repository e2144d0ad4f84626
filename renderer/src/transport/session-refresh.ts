import { MeResponse } from '../../../shared/protocol/api.js';
import { authStore, currentToken, setSession, type Session } from '../stores/auth-store.js';
import { getJson } from './http.js';

/**
 * How often a signed-in station reads its user's role again. The server checks the role on every
 * request (auth/DESIGN.md); reading it here too makes the station's buttons, its nav and the top bar
 * follow an administrator's change (promoted, demoted) without signing in again.
 */
export const SESSION_REFRESH_MS = 5_000;

/**
 * The session with the role `/api/me` answered, or null when nothing changes: an answer for a session
 * that has since ended or been replaced (signed out, someone else signed in) changes nothing.
 */
export function withCurrentRole(now: Session | null, askedWith: string, me: MeResponse): Session | null {
  if (!now || now.token !== askedWith || now.user !== me.user || now.role === me.role) return null;
  return { ...now, role: me.role };
}

async function refreshSession(): Promise<void> {
  const token = currentToken();
  if (token === null) return;
  try {
    const me = await getJson('/api/me', MeResponse);
    const next = withCurrentRole(authStore.getState().session, token, me);
    if (next) setSession(next);
  } catch {
    // A 401 (disabled, expired) already signed the station out and asked for a login (http.ts);
    // an unreachable node is asked again at the next turn.
  }
}

/** Keeps the signed-in user's role current while the page is open; returns the stop function. */
export function startSessionRefresh(): () => void {
  const timer = setInterval(() => void refreshSession(), SESSION_REFRESH_MS);
  return () => clearInterval(timer);
}
