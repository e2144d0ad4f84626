import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, createServer, type TLSSocket } from 'node:tls';
import { loadOrCreateNodeCertificate } from '../../electron/runtime/tls/node-certificate.js';

/**
 * A device between two PCs that answers TLS with its own certificate and passes everything on to
 * `target` over a second TLS connection (as an intercepting proxy or an attacker would): it sees
 * and could change every byte. Returns its `host:port` and how to stop it.
 */
export async function startTlsInterceptor(target: { host: string; port: number }): Promise<{ address: string; stop(): Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'tandem-interceptor-'));
  const certificate = await loadOrCreateNodeCertificate(dir, 'interceptor');
  const sockets = new Set<TLSSocket>();
  const server = createServer({ cert: certificate.certPem, key: certificate.keyPem }, (inbound) => {
    const outbound = connect({ host: target.host, port: target.port, rejectUnauthorized: false });
    for (const socket of [inbound, outbound]) {
      sockets.add(socket);
      socket.on('error', () => undefined);
      socket.on('close', () => {
        sockets.delete(socket);
        inbound.destroy();
        outbound.destroy();
      });
    }
    inbound.pipe(outbound).pipe(inbound);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    address: `127.0.0.1:${(server.address() as AddressInfo).port}`,
    stop: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => {
          rmSync(dir, { recursive: true, force: true });
          resolve();
        });
      }),
  };
}
