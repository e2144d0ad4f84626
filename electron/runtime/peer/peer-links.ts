import type { IncomingMessage } from 'node:http';
import { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer, type ClientOptions } from 'ws';
import { PEER_FRAME_BYTES_MAX, type PeerEnvelope } from '../../../shared/protocol/peer.js';
import { systemClock, type Clock } from '../clock.js';
import { PEER_PATH } from './handshake-frames.js';
import { AcceptorHandshake, DialerHandshake, type PeerIdentity } from './handshake.js';
import type { EnvelopeText } from './envelope-text.js';
import { PeerConnection, type ConnectionHooks } from './peer-connection.js';
import { pinnedConnect } from '../tls/pinned-tls.js';
import { RateLimitedLog } from './rate-limited-log.js';
import { Redial } from './redial.js';

/** Connections still proving who they are; more are refused so strangers cannot pile them up. */
const PENDING_ACCEPTS_MAX = 8;
/**
 * Both ends of a link: frames up to the protocol limit, no compression (log batches are mostly
 * unique ids and numbers, and deflate state per socket costs memory), and a refused stranger that
 * ignores our close frame is dropped after 1 s instead of holding a pending slot for ws's default 30 s.
 * (`closeTimeout` is in ws 8.23 but not yet in its type definitions.)
 */
const SOCKET_OPTIONS = { maxPayload: PEER_FRAME_BYTES_MAX, perMessageDeflate: false, closeTimeout: 1_000 };

export interface PeerLinksOptions {
  cluster: string;
  /** Proves membership of the cluster; never sent and never logged. */
  secret: string;
  self: string;
  /** The nodes this one shares a project with, and their URLs from the cluster file. */
  peers: ReadonlyMap<string, string>;
  /**
   * Per peer, the SHA-256 of its TLS certificate, pinned at pairing. A peer with an https:// URL is
   * dialled with TLS and must show exactly that certificate; without a pin, one a CA of this PC trusts.
   */
  fingerprints?: ReadonlyMap<string, string>;
  clock?: Clock;
  /**
   * When set, a link on which nothing arrives for this long is closed and redialled. The engine's
   * heartbeats keep a live link busy; a TCP connection across a healed partition can otherwise stay
   * stalled in retransmission backoff for minutes.
   */
  silenceMs?: number;
  /**
   * The local address to dial from (this node's own address), so the link can be told apart from
   * other traffic, e.g. by a firewall rule that cuts only the link between two nodes.
   */
  localAddress?: string;
}

export type EnvelopeHandler = (from: string, envelope: PeerEnvelope) => void;
export type LinkHandler = (node: string, up: boolean) => void;

/**
 * The peer links of one node: one authenticated WebSocket to each peer, dialled by the node whose
 * name sorts first and accepted on `/peer` by the other. Transport only: it moves envelopes and
 * says when a link is up; what a silence or a message means is the engine's business.
 * Handlers must not throw.
 */
export class PeerLinks {
  private readonly identity: PeerIdentity;
  private readonly warnings: RateLimitedLog;
  private readonly silenceMs: number | null;
  private readonly localAddress: string | undefined;
  private readonly fingerprints: ReadonlyMap<string, string>;
  private readonly wss = new WebSocketServer({ noServer: true, ...SOCKET_OPTIONS });
  /** The authenticated connection to each peer whose link is up. */
  private readonly links = new Map<string, PeerConnection>();
  /** Every open connection, authenticated or not, so close() ends them all. */
  private readonly connections = new Set<PeerConnection>();
  private readonly redials = new Map<string, Redial>();
  /** Per peer this node dials, why its link is down, when it knows: shown to operators in the status. */
  private readonly problems = new Map<string, string>();
  private readonly envelopeHandlers: EnvelopeHandler[] = [];
  private readonly linkHandlers: LinkHandler[] = [];
  private pendingAccepts = 0;
  private closed = false;

  constructor(options: PeerLinksOptions) {
    if (options.peers.has(options.self)) throw new Error(`peer links: node ${options.self} cannot be its own peer`);
    this.identity = { cluster: options.cluster, secret: options.secret, self: options.self, peers: new Set(options.peers.keys()) };
    this.warnings = new RateLimitedLog(options.clock ?? systemClock);
    this.silenceMs = options.silenceMs ?? null;
    this.localAddress = options.localAddress;
    this.fingerprints = options.fingerprints ?? new Map();
    for (const [peer, url] of options.peers) {
      // Plain code-unit order, the same on every machine whatever its locale.
      if (options.self > peer) continue;
      const socketUrl = peerSocketUrl(url);
      this.redials.set(peer, new Redial(() => this.dial(peer, socketUrl)));
      // Connecting is asynchronous: handlers registered right after construction miss nothing.
      this.dial(peer, socketUrl);
    }
  }

  /** Takes an HTTP upgrade if it is for `/peer`; false leaves it to the caller (the client gateway). */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean {
    if (new URL(req.url ?? '/', 'http://localhost').pathname !== PEER_PATH) return false;
    if (this.closed || this.pendingAccepts >= PENDING_ACCEPTS_MAX) {
      socket.end('HTTP/1.1 503 Service Unavailable\r\nconnection: close\r\n\r\n');
      return true;
    }
    const address = req.socket.remoteAddress ?? 'an unknown address';
    this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws, socket instanceof Socket ? socket : null, address));
    return true;
  }

  /** Sends to a peer if its link is up; false when it is down or the envelope could not go. Never throws. */
  send(node: string, envelope: PeerEnvelope | EnvelopeText): boolean {
    return this.links.get(node)?.send(envelope) ?? false;
  }

  onEnvelope(handler: EnvelopeHandler): void {
    this.envelopeHandlers.push(handler);
  }

  onLinkChange(handler: LinkHandler): void {
    this.linkHandlers.push(handler);
  }

  linkState(node: string): 'up' | 'down' {
    return this.links.has(node) ? 'up' : 'down';
  }

  /**
   * Why the link to `node` is down, as last seen by this node's dialling (a refused certificate, a
   * refused secret, nothing answering); null while it is up, or when the peer dials this node.
   */
  linkProblem(node: string): string | null {
    return this.links.has(node) ? null : (this.problems.get(node) ?? null);
  }

  /** Ends every link and timer; no handler is called after this returns. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const redial of this.redials.values()) redial.stop();
    for (const connection of this.connections) connection.terminate();
    this.links.clear();
    this.wss.close();
  }

  private accept(ws: WebSocket, socket: Socket | null, address: string): void {
    this.pendingAccepts++;
    let pending = true;
    const settle = () => {
      if (pending) this.pendingAccepts--;
      pending = false;
    };
    this.connections.add(new PeerConnection(ws, new AcceptorHandshake(this.identity), {
      address,
      socket,
      warnings: this.warnings,
      silenceMs: this.silenceMs,
      hooks: this.hooks({ up: settle, closed: settle, problem: () => undefined }),
    }));
  }

  private dial(peer: string, url: string): void {
    const redial = this.redials.get(peer)!;
    const pin = url.startsWith('wss:') ? this.fingerprints.get(peer) : undefined;
    const ws = new WebSocket(url, { ...SOCKET_OPTIONS, followRedirects: false, localAddress: this.localAddress, ...(pin ? { createConnection: pinnedConnect(pin, peer) as unknown as ClientOptions['createConnection'] } : {}) });
    this.connections.add(new PeerConnection(ws, new DialerHandshake(this.identity, peer), {
      address: url,
      socket: null,
      warnings: this.warnings,
      silenceMs: this.silenceMs,
      hooks: this.hooks({ up: () => redial.connected(), closed: () => redial.lost(), problem: (message) => this.problems.set(peer, message) }),
    }));
  }

  /** The hooks every connection shares, plus what its side (accepted or dialled) does on top. */
  private hooks(side: { up(): void; closed(): void; problem(message: string): void }): ConnectionHooks {
    return {
      problem: (message) => side.problem(message),
      up: (connection) => {
        side.up();
        this.linkUp(connection);
      },
      envelope: (from, envelope) => {
        if (this.closed) return;
        for (const handler of this.envelopeHandlers) handler(from, envelope);
      },
      closed: (connection) => {
        this.connections.delete(connection);
        this.linkClosed(connection);
        side.closed();
      },
    };
  }

  private linkUp(connection: PeerConnection): void {
    const peer = connection.peer!;
    const previous = this.links.get(peer);
    if (previous) {
      // The peer dialled again, so it has given up on the old socket: whatever was in flight there is lost.
      previous.end('replaced');
      this.linkDown(peer);
    }
    this.links.set(peer, connection);
    this.problems.delete(peer);
    this.warnings.log('info', `up|${peer}`, `peer link to ${peer} is up`);
    this.emitLink(peer, true);
  }

  private linkClosed(connection: PeerConnection): void {
    const peer = connection.peer;
    if (peer === null || this.links.get(peer) !== connection || this.closed) return;
    this.linkDown(peer);
  }

  private linkDown(peer: string): void {
    this.links.delete(peer);
    this.warnings.log('info', `down|${peer}`, `peer link to ${peer} is down`);
    this.emitLink(peer, false);
  }

  private emitLink(peer: string, up: boolean): void {
    for (const handler of this.linkHandlers) handler(peer, up);
  }
}

/** `http://host:port/...` -> `ws://host:port/peer`, and https -> wss. */
function peerSocketUrl(nodeUrl: string): string {
  const url = new URL(PEER_PATH, nodeUrl);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return url.toString();
}
