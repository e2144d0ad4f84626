import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { displayFingerprint, normalFingerprint } from '../../../shared/cluster/fingerprint.js';
import { CertificateError, certificatePaths, loadOrCreateNodeCertificate } from './node-certificate.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function dataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'tandem-cert-'));
  dirs.push(dir);
  return dir;
}

describe('the node certificate', () => {
  it('is made at the first start (key 0600 in a 0700 folder) and kept: the same fingerprint at every start', async () => {
    const dir = dataDir();
    const first = await loadOrCreateNodeCertificate(dir, 'pc-a');
    const paths = certificatePaths(dir);
    expect(statSync(paths.key).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'secrets')).mode & 0o777).toBe(0o700);
    expect(first.fingerprint).toMatch(/^[0-9a-f]{64}$/);
    const again = await loadOrCreateNodeCertificate(dir, 'pc-a');
    expect(again).toEqual(first);
    const certificate = new X509Certificate(readFileSync(paths.cert));
    expect(normalFingerprint(certificate.fingerprint256)).toBe(first.fingerprint);
    expect(certificate.subject).toContain('CN=Tandem node pc-a');
    expect(certificate.subjectAltName).toContain('IP Address:127.0.0.1');
    expect(certificate.ca).toBe(false);
  });

  it('differs from node to node', async () => {
    const [a, b] = await Promise.all([loadOrCreateNodeCertificate(dataDir(), 'pc-a'), loadOrCreateNodeCertificate(dataDir(), 'pc-a')]);
    expect(a.fingerprint).not.toBe(b.fingerprint);
  });

  it('refuses a certificate without its key, or a key of another certificate, saying what to do, and overwrites nothing', async () => {
    const dir = dataDir();
    const paths = certificatePaths(dir);
    await loadOrCreateNodeCertificate(dir, 'pc-a');
    const otherKey = (await loadOrCreateNodeCertificate(dataDir(), 'pc-b')).keyPem;
    writeFileSync(paths.key, otherKey);
    await expect(loadOrCreateNodeCertificate(dir, 'pc-a')).rejects.toThrow(CertificateError);
    await expect(loadOrCreateNodeCertificate(dir, 'pc-a')).rejects.toThrow(/cannot be used \(the key does not belong to the certificate\); restore them from a backup, or delete both/);
    expect(readFileSync(paths.key, 'utf8')).toBe(otherKey);
    unlinkSync(paths.key);
    await expect(loadOrCreateNodeCertificate(dir, 'pc-a')).rejects.toThrow(/tls-key\.pem is missing while its partner file exists/);
  });

  it('refuses a certificate file that is not a certificate', async () => {
    const dir = dataDir();
    await loadOrCreateNodeCertificate(dir, 'pc-a');
    writeFileSync(certificatePaths(dir).cert, 'garbage');
    await expect(loadOrCreateNodeCertificate(dir, 'pc-a')).rejects.toThrow(/tls-certificate\.pem or its key .* cannot be used/);
  });

  it('shows a fingerprint as certificate dialogs do, and reads that form back', () => {
    const hex = 'ab'.repeat(32);
    expect(displayFingerprint(hex)).toBe(`${'AB:'.repeat(31)}AB`);
    expect(normalFingerprint(displayFingerprint(hex))).toBe(hex);
  });
});
