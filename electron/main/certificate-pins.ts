import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { normalFingerprint } from '../../shared/cluster/fingerprint.js';

/**
 * Which TLS certificates the desktop window trusts besides those of public CAs: its own node's and
 * the ones its pair pinned at pairing (`cluster.json` in the runtime's data folder). The window
 * follows the Server to the other PC over https://, whose certificate is self-signed: no warning
 * to click through, and no other certificate accepted in its place. Pure but for reading the files,
 * so it is tested without Electron.
 */
export function pinnedFingerprints(dataDir: string): Set<string> {
  const pins = new Set<string>();
  const own = readOrNull(join(dataDir, 'tls-certificate.pem'));
  if (own !== null) {
    const fingerprint = fingerprintOf(own);
    if (fingerprint !== null) pins.add(fingerprint);
  }
  const cluster = readOrNull(join(dataDir, 'cluster.json'));
  if (cluster !== null) {
    try {
      const { fingerprints } = JSON.parse(cluster) as { fingerprints?: Record<string, unknown> };
      for (const value of Object.values(fingerprints ?? {})) if (typeof value === 'string') pins.add(normalFingerprint(value));
    } catch {
      // A broken cluster file stops the runtime, which says why; it pins nothing here.
    }
  }
  return pins;
}

/**
 * Chromium's question for every certificate it verifies: 0 trusts a pinned one whatever its name
 * and issuer (PCs change addresses), -3 leaves any other to Chromium's own verification.
 */
export function certificateVerdict(certificatePem: string, pins: ReadonlySet<string>): 0 | -3 {
  const fingerprint = fingerprintOf(certificatePem);
  return fingerprint !== null && pins.has(fingerprint) ? 0 : -3;
}

function fingerprintOf(pem: string): string | null {
  try {
    return normalFingerprint(new X509Certificate(pem).fingerprint256);
  } catch {
    return null;
  }
}

function readOrNull(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}
