import { connect, type ConnectionOptions, type TLSSocket } from 'node:tls';
import { displayFingerprint, normalFingerprint } from '../../../shared/cluster/fingerprint.js';

/** A TLS connection to a node whose certificate is not the one pinned for it. */
export class PinMismatchError extends Error {
  readonly code = 'ERR_TANDEM_PIN_MISMATCH';
}

/**
 * The fingerprint of the certificate the other end of `socket` showed, or null before the
 * handshake, after the close, or on a plain socket.
 */
export function peerFingerprint(socket: unknown): string | null {
  const tlsSocket = socket as Partial<TLSSocket> | null;
  if (typeof tlsSocket?.getPeerCertificate !== 'function') return null;
  try {
    const certificate = tlsSocket.getPeerCertificate();
    return certificate?.fingerprint256 ? normalFingerprint(certificate.fingerprint256) : null;
  } catch {
    // The socket is closed already.
    return null;
  }
}

/**
 * Connects with TLS and trusts exactly the certificate with `fingerprint` (a self-signed node
 * certificate, pinned at pairing): no CA, no host name, since PCs change addresses. A different
 * certificate ends the connection right after the handshake, before the request that waits for it
 * is sent, with a PinMismatchError naming both fingerprints. For `ws`'s and https' `createConnection`
 * (their types list net.createConnection's overloads; both call it with one options object).
 */
export function pinnedConnect(fingerprint: string, node: string): (options: ConnectionOptions) => TLSSocket {
  return (options) => {
    // HTTP clients pass their request options, whose `path` would make this a local socket path.
    const { path: _requestPath, ...connection } = options as ConnectionOptions & { path?: string };
    const socket = connect({ ...connection, rejectUnauthorized: false });
    socket.once('secureConnect', () => {
      const seen = peerFingerprint(socket);
      if (seen === fingerprint) return;
      socket.destroy(
        new PinMismatchError(
          `the TLS certificate at ${options.host ?? 'the peer'}:${options.port ?? ''} is not ${node}'s: pinned at pairing ${displayFingerprint(fingerprint)}, shown ${seen ? displayFingerprint(seen) : 'none'}. ` +
            'If that PC was replaced or its certificate made anew, pair it again; otherwise something on the network is posing as it',
        ),
      );
    });
    return socket;
  };
}
