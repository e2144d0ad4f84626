import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadOrCreateNodeCertificate } from '../runtime/tls/node-certificate.js';
import { certificateVerdict, pinnedFingerprints } from './certificate-pins.js';

const dir = mkdtempSync(join(tmpdir(), 'tandem-pins-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the certificates the desktop window trusts', () => {
  it('trusts its own node and the pair pinned in cluster.json, and leaves any other to Chromium', async () => {
    const own = await loadOrCreateNodeCertificate(join(dir, 'own'), 'pc-a');
    const peer = await loadOrCreateNodeCertificate(join(dir, 'peer'), 'pc-b');
    const stranger = await loadOrCreateNodeCertificate(join(dir, 'stranger'), 'pc-b');
    expect(pinnedFingerprints(join(dir, 'own'))).toEqual(new Set([own.fingerprint]));
    // The display form with colons, as a hand-written cluster file may hold it, counts too.
    const colons = peer.fingerprint.toUpperCase().replace(/(..)(?!$)/g, '$1:');
    writeFileSync(join(dir, 'own', 'cluster.json'), JSON.stringify({ fingerprints: { 'pc-a': own.fingerprint, 'pc-b': colons } }));
    const pins = pinnedFingerprints(join(dir, 'own'));
    expect(certificateVerdict(own.certPem, pins)).toBe(0);
    expect(certificateVerdict(readFileSync(join(dir, 'peer', 'tls-certificate.pem'), 'utf8'), pins)).toBe(0);
    expect(certificateVerdict(stranger.certPem, pins)).toBe(-3);
    expect(certificateVerdict('not a certificate', pins)).toBe(-3);
  });

  it('pins nothing from a missing or broken folder', () => {
    expect(pinnedFingerprints(join(dir, 'nothing-here'))).toEqual(new Set());
    const broken = join(dir, 'broken');
    mkdirSync(broken);
    writeFileSync(join(broken, 'cluster.json'), '{');
    writeFileSync(join(broken, 'tls-certificate.pem'), 'garbage');
    expect(pinnedFingerprints(broken)).toEqual(new Set());
  });
});
