import { X509Certificate, createPrivateKey, webcrypto } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { hostname, networkInterfaces } from 'node:os';
import { join } from 'node:path';
// @peculiar/x509 resolves its parts through tsyringe, which needs the Reflect metadata polyfill loaded first.
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { normalFingerprint } from '../../../shared/cluster/fingerprint.js';

/**
 * This node's TLS identity: a self-signed certificate made at its first start and kept for good.
 * Peers do not trust it through a CA but through its fingerprint, which pairing hands over sealed
 * (DESIGN.md): so it needs no renewal, and a changed certificate is a different PC to its peer.
 */
export interface NodeCertificate {
  certPem: string;
  keyPem: string;
  /** SHA-256 of the certificate (DER), 64 lowercase hex digits: what a cluster document pins. */
  fingerprint: string;
}

/** The certificate is public (0644, beside the data); the key lives with the other secrets (0600). */
const CERT_FILE = 'tls-certificate.pem';
const KEY_FILE = join('secrets', 'tls-key.pem');
const VALID_YEARS = 20;

export class CertificateError extends Error {}

export function certificatePaths(dataDir: string): { cert: string; key: string } {
  return { cert: join(dataDir, CERT_FILE), key: join(dataDir, KEY_FILE) };
}

/** The node's certificate from its data folder, made there first if it has none. */
export async function loadOrCreateNodeCertificate(dataDir: string, nodeName: string): Promise<NodeCertificate> {
  const paths = certificatePaths(dataDir);
  const haveCert = existsSync(paths.cert);
  if (haveCert !== existsSync(paths.key)) {
    const missing = haveCert ? paths.key : paths.cert;
    throw new CertificateError(`${missing} is missing while its partner file exists; restore it from a backup, or delete both files to make a new certificate (paired nodes must then be paired again)`);
  }
  if (haveCert) return readCertificate(paths);
  const made = await makeCertificate(nodeName);
  mkdirSync(join(dataDir, 'secrets'), { recursive: true, mode: 0o700 });
  chmodSync(join(dataDir, 'secrets'), 0o700);
  writeAtomically(paths.key, made.keyPem, 0o600);
  writeAtomically(paths.cert, made.certPem, 0o644);
  return made;
}

function readCertificate(paths: { cert: string; key: string }): NodeCertificate {
  const certPem = readFileSync(paths.cert, 'utf8');
  const keyPem = readFileSync(paths.key, 'utf8');
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(certPem);
    if (!certificate.checkPrivateKey(createPrivateKey(keyPem))) throw new Error('the key does not belong to the certificate');
  } catch (error) {
    throw new CertificateError(`the TLS certificate ${paths.cert} or its key ${paths.key} cannot be used (${(error as Error).message}); restore them from a backup, or delete both to make a new certificate (paired nodes must then be paired again)`);
  }
  chmodSync(paths.key, 0o600);
  return { certPem, keyPem, fingerprint: normalFingerprint(certificate.fingerprint256) };
}

/** ECDSA P-256: small, fast, and accepted by every browser and by Node's TLS. */
async function makeCertificate(nodeName: string): Promise<NodeCertificate> {
  const algorithm = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
  const keys = await webcrypto.subtle.generateKey(algorithm, true, ['sign', 'verify']);
  const notBefore = new Date(Date.now() - 24 * 3600_000);
  const notAfter = new Date(notBefore);
  notAfter.setUTCFullYear(notAfter.getUTCFullYear() + VALID_YEARS);
  const certificate = await x509.X509CertificateGenerator.createSelfSigned(
    {
      serialNumber: Buffer.from(webcrypto.getRandomValues(new Uint8Array(16))).toString('hex').replace(/^[89a-f]/, '1'),
      name: `CN=Tandem node ${commonNameSafe(nodeName)}, O=Tandem`,
      notBefore,
      notAfter,
      signingAlgorithm: algorithm,
      keys,
      extensions: [
        new x509.BasicConstraintsExtension(false, undefined, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyAgreement, true),
        new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth, x509.ExtendedKeyUsage.clientAuth]),
        // Names only help a browser that was told to trust this certificate; peers pin it instead.
        new x509.SubjectAlternativeNameExtension(subjectNames()),
      ],
    },
    webcrypto as unknown as Parameters<typeof x509.X509CertificateGenerator.createSelfSigned>[1],
  );
  const keyDer = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey));
  const keyPem = createPrivateKey({ key: keyDer, format: 'der', type: 'pkcs8' }).export({ format: 'pem', type: 'pkcs8' }) as string;
  const certPem = certificate.toString('pem');
  return { certPem, keyPem, fingerprint: normalFingerprint(new X509Certificate(certPem).fingerprint256) };
}

function subjectNames(): Array<{ type: 'dns' | 'ip'; value: string }> {
  const names: Array<{ type: 'dns' | 'ip'; value: string }> = [{ type: 'dns', value: 'localhost' }];
  if (/^[A-Za-z0-9.-]{1,253}$/.test(hostname())) names.push({ type: 'dns', value: hostname() });
  const addresses = new Set(['127.0.0.1', '::1']);
  for (const list of Object.values(networkInterfaces())) for (const entry of list ?? []) if (!entry.address.startsWith('fe80')) addresses.add(entry.address);
  for (const address of addresses) names.push({ type: 'ip', value: address });
  return names;
}

function commonNameSafe(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]/g, '_');
}

function writeAtomically(path: string, text: string, mode: number): void {
  const temporary = `${path}.tmp`;
  writeFileSync(temporary, text, { mode });
  chmodSync(temporary, mode);
  renameSync(temporary, path);
}
