import { createStore } from 'zustand/vanilla';
import { useStore } from 'zustand';
import { ROLE_FOR, roleAllows, type Permission } from '../../../shared/domain/user-role.js';
import { LoginResponse } from '../../../shared/protocol/api.js';

const SESSION_KEY = 'tandem.session';

export type Session = LoginResponse;

export interface AuthState {
  /** Who is signed in on this station, with the token every API call and WebSocket carries. */
  session: Session | null;
  /** Why the login form is open (null: closed). */
  loginReason: string | null;
}

/** sessionStorage: the login lasts as long as the browser tab, and never reaches another tab or a disk profile. */
function readSession(): Session | null {
  try {
    const parsed = LoginResponse.safeParse(JSON.parse(globalThis.sessionStorage?.getItem(SESSION_KEY) ?? 'null'));
    return parsed.success && parsed.data.expiresAt > Date.now() ? parsed.data : null;
  } catch {
    return null;
  }
}

function storeSession(session: Session | null): void {
  try {
    if (session) globalThis.sessionStorage?.setItem(SESSION_KEY, JSON.stringify(session));
    else globalThis.sessionStorage?.removeItem(SESSION_KEY);
  } catch {
    // Storage refused (private window): the login then lasts until the page reloads.
  }
}

export const authStore = createStore<AuthState>()(() => ({ session: readSession(), loginReason: null }));

export function useAuth<T>(selector: (state: AuthState) => T): T {
  return useStore(authStore, selector);
}

export function resetAuthStore(): void {
  authStore.setState({ session: null, loginReason: null }, true);
}

export function setSession(session: Session | null): void {
  storeSession(session);
  authStore.setState({ session, loginReason: null });
}

export function openLogin(reason: string): void {
  authStore.setState({ loginReason: reason });
}

export function closeLogin(): void {
  authStore.setState({ loginReason: null });
}

/** The signed-in user's token, if the session has not expired. */
export function currentToken(): string | null {
  const { session } = authStore.getState();
  return session && session.expiresAt > Date.now() ? session.token : null;
}

/**
 * Whether a button for `permission` is usable: without a login it is (pressing it asks to sign in);
 * signed in with a role too low it is disabled, and `why` says which role it needs.
 */
export function gateFor(session: Session | null, permission: Permission): { disabled: boolean; why: string | null } {
  if (!session || roleAllows(session.role, permission)) return { disabled: false, why: null };
  return { disabled: true, why: `Needs the role ${ROLE_FOR[permission]} or higher; ${session.user} is ${session.role}` };
}

export function useGate(permission: Permission): { disabled: boolean; why: string | null } {
  const session = useAuth((s) => s.session);
  return gateFor(session, permission);
}
