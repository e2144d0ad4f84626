import { createStore } from 'zustand/vanilla';
import { useStore } from 'zustand';

const USER_KEY = 'tandem.userName';
export const DEFAULT_USER = 'operator';
/** The server refuses longer names (api.ts, UserName). */
export const USER_NAME_MAX = 60;

export interface PrefsState {
  /** Who the operator says they are; stamped on acknowledgements until logins exist. */
  userName: string;
}

function readStoredUser(): string {
  try {
    return globalThis.localStorage?.getItem(USER_KEY) || DEFAULT_USER;
  } catch {
    return DEFAULT_USER;
  }
}

export const prefsStore = createStore<PrefsState>()(() => ({ userName: readStoredUser() }));

export function usePrefs<T>(selector: (state: PrefsState) => T): T {
  return useStore(prefsStore, selector);
}

export function resetPrefsStore(): void {
  prefsStore.setState({ userName: DEFAULT_USER }, true);
}

export function setUserName(raw: string): void {
  const userName = raw.slice(0, USER_NAME_MAX);
  prefsStore.setState({ userName });
  try {
    globalThis.localStorage?.setItem(USER_KEY, userName);
  } catch {
    // Private windows may refuse storage; the name then lasts for this session only.
  }
}

/** The name commands carry: never empty, because the server requires one. */
export function commandUser(): string {
  return prefsStore.getState().userName.trim() || DEFAULT_USER;
}
