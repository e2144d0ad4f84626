import type { StationLink } from '../overview/node-rows.js';

/**
 * A browser silently refuses a WebSocket or a fetch to an https:// node whose self-signed
 * certificate it has not been told to accept. When this station cannot reach a node of the pair at
 * its https:// address, that is the likeliest cause, and the cure is to open the address once and
 * accept the certificate (after comparing its fingerprint). The desktop app trusts the pair's pinned
 * certificates by itself, so it never needs this. Returns the address to open, or null.
 */
export function certificateHint(stationLink: StationLink, address: string | null, inDesktop: boolean): string | null {
  if (inDesktop || stationLink !== 'down' || address === null) return null;
  return address.startsWith('https://') ? address : null;
}

/** The desktop app's preload exposes `tandemDesktop`; a browser has none. */
export function inDesktopApp(): boolean {
  return 'tandemDesktop' in globalThis;
}
