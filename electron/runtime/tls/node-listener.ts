import { createServer as createPlainServer, type IncomingMessage, type RequestListener, type Server as HttpServer, type ServerResponse } from 'node:http';
import { createServer as createTlsServer, type Server as HttpsServer } from 'node:https';
import { createServer as createNetServer, type AddressInfo, type Server as NetServer, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { isLoopback } from '../loopback.js';
import type { NodeCertificate } from './node-certificate.js';

/** The first byte of every TLS connection: a handshake record. */
const TLS_HANDSHAKE = 0x16;
/** A connection that sends nothing for this long before its first byte, or does not finish its TLS handshake, is closed. */
const FIRST_BYTE_TIMEOUT_MS = 10_000;
/**
 * Open connections at most: 200 stations (the gateway's limit) with a WebSocket and a browser's six
 * HTTP connections each, and the peer links, fit; a flood of idle sockets beyond it is refused.
 */
const CONNECTIONS_MAX = 2_000;

export type UpgradeListener = (req: IncomingMessage, socket: Duplex, head: Buffer) => void;

export interface NodeListenerOptions {
  certificate: NodeCertificate;
  /** Plain HTTP from other PCs too (an isolated network without TLS); otherwise from this PC only. */
  allowPlainHttp: boolean;
  requests: RequestListener;
  upgrades: UpgradeListener;
}

/**
 * The node's one port, speaking HTTPS and plain HTTP: the first byte of a connection tells which
 * (a TLS handshake starts with 0x16, an HTTP request with a letter). Stations and peers of other
 * PCs use TLS; plain HTTP stays open to this PC's own loopback (the desktop window, development)
 * and, with `allowPlainHttp`, to everyone. A plain request from another PC is sent to the https://
 * address instead, and a plain WebSocket from there is refused with a sentence.
 */
export class NodeListener {
  private readonly net: NetServer;
  private readonly secure: HttpsServer;
  private readonly plain: HttpServer;
  private readonly refused: HttpServer;
  /** Every connection, whichever server it went to, so close() can end them all. */
  private readonly sockets = new Set<Socket>();

  constructor(options: NodeListenerOptions) {
    this.secure = createTlsServer({ cert: options.certificate.certPem, key: options.certificate.keyPem, handshakeTimeout: FIRST_BYTE_TIMEOUT_MS }, options.requests);
    this.plain = createPlainServer(options.requests);
    this.refused = createPlainServer(toHttps);
    for (const server of [this.secure, this.plain]) server.on('upgrade', options.upgrades);
    this.refused.on('upgrade', refuseUpgrade);
    // A client that breaks off its TLS handshake is its own problem, not the node's.
    this.secure.on('tlsClientError', (_error, socket) => socket.destroy());
    // Node starts the request and header timeouts (against clients that send slowly) when a server
    // listens; these three are handed their connections and never listen themselves.
    for (const server of [this.secure, this.plain, this.refused]) server.emit('listening');
    this.net = createNetServer((socket) => {
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
      this.route(socket, options.allowPlainHttp);
    });
    this.net.maxConnections = CONNECTIONS_MAX;
  }

  listen(port: number, host: string): Promise<void> {
    return new Promise((resolve, reject) => {
      this.net.once('error', reject);
      this.net.listen(port, host, () => {
        this.net.off('error', reject);
        resolve();
      });
    });
  }

  address(): AddressInfo {
    return this.net.address() as AddressInfo;
  }

  /** Stops listening and ends every connection, upgraded ones too (their owners should close them first, cleanly). */
  close(): Promise<void> {
    return new Promise((resolve) => {
      this.net.close(() => resolve());
      for (const server of [this.secure, this.plain, this.refused]) server.close();
      for (const socket of this.sockets) socket.destroy();
    });
  }

  private route(socket: Socket, allowPlainHttp: boolean): void {
    socket.on('error', () => socket.destroy());
    socket.setTimeout(FIRST_BYTE_TIMEOUT_MS, () => socket.destroy());
    socket.once('data', (first: Buffer) => {
      socket.setTimeout(0);
      socket.pause();
      socket.unshift(first);
      const server = first[0] === TLS_HANDSHAKE ? this.secure : allowPlainHttp || isLoopback(socket.remoteAddress) ? this.plain : this.refused;
      server.emit('connection', socket);
      if (server !== this.secure) socket.resume();
    });
  }
}

function toHttps(req: IncomingMessage, res: ServerResponse): void {
  const host = req.headers.host;
  if ((req.method === 'GET' || req.method === 'HEAD') && host && /^[A-Za-z0-9.:[\]-]+$/.test(host)) {
    res.writeHead(308, { location: `https://${host}${req.url ?? '/'}`, connection: 'close' });
    res.end();
    return;
  }
  const body = JSON.stringify({ error: { code: 'tlsRequired', message: 'this node takes plain HTTP only from its own PC: use https:// (the node has a self-signed certificate; compare its fingerprint on the Redundancy page)' } });
  res.writeHead(426, { 'content-type': 'application/json; charset=utf-8', upgrade: 'TLS/1.2, HTTP/1.1', connection: 'close' });
  res.end(body);
}

function refuseUpgrade(_req: IncomingMessage, socket: Duplex): void {
  socket.end('HTTP/1.1 426 Upgrade Required\r\nconnection: close\r\ncontent-type: text/plain\r\n\r\nthis node takes plain WebSocket connections only from its own PC: use wss://\n');
}
