/**
 * Certificate fingerprints (SHA-256 of the DER certificate) as cluster documents hold them (64
 * lowercase hex digits) and as people compare them with a browser's certificate dialog (`AB:CD:...`).
 */

/** `AB:CD:...` (node:crypto, browsers) or any hex spelling -> 64 lowercase hex digits. */
export function normalFingerprint(text: string): string {
  return text.replace(/:/g, '').toLowerCase();
}

/** The fingerprint as certificate dialogs show it: `AB:CD:...`. */
export function displayFingerprint(fingerprint: string): string {
  return fingerprint.toUpperCase().replace(/(..)(?!$)/g, '$1:');
}
