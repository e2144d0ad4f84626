import type { Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { WebSocket } from 'ws';
import { PEER_FRAME_BYTES_MAX, PeerEnvelope } from '../../../shared/protocol/peer.js';
import { formatIssues } from '../../../shared/project/load-project.js';
import { AUTH_TIMEOUT_MS, HANDSHAKE_BYTES_MAX, REFUSALS, refusalReason, type HandshakeFrame, type RefusalKind } from './handshake-frames.js';
import type { Handshake } from './handshake.js';
import type { EnvelopeText } from './envelope-text.js';
import type { RateLimitedLog } from './rate-limited-log.js';

/**
 * More unsent than this means the peer reads too slowly or the network is cut: holding more only
 * grows memory, while a new connection resumes from what the peer acknowledged.
 */
export const SEND_BUFFER_BYTES_MAX = 64 * 1024 * 1024;

export interface ConnectionHooks {
  up(connection: PeerConnection): void;
  envelope(from: string, envelope: PeerEnvelope): void;
  closed(connection: PeerConnection): void;
  /** Something went wrong on this connection (the sentence that is also logged, at most once a minute). */
  problem(message: string): void;
}

export interface ConnectionOptions {
  /** The remote side for log lines: its IP address, or the URL dialled. */
  address: string;
  /** The TCP socket when already known (accepted); a dialled one is taken from the upgrade response. */
  socket: Socket | null;
  warnings: RateLimitedLog;
  silenceMs: number | null;
  hooks: ConnectionHooks;
}

/**
 * One WebSocket between two nodes: the handshake first, and only once both sides have proven the
 * secret, envelopes both ways. Ends on a refusal, a socket error, backpressure or silence.
 */
export class PeerConnection {
  /** The authenticated node at the other end; null until the handshake succeeded. */
  peer: string | null = null;
  private ended = false;
  private authTimer: NodeJS.Timeout | null;
  private silenceTimer: NodeJS.Timeout | null = null;
  private socket: Socket | null = null;
  /** What watches the raw bytes: the handshake budget, then the silence timer. */
  private onSocketData: ((chunk: Buffer) => void) | null = null;

  constructor(
    private readonly ws: WebSocket,
    private readonly handshake: Handshake,
    private readonly options: ConnectionOptions,
  ) {
    this.authTimer = setTimeout(() => this.refuse('authTimeout', `authentication did not finish within ${AUTH_TIMEOUT_MS} ms`), AUTH_TIMEOUT_MS);
    if (options.socket) this.useSocket(options.socket);
    else ws.once('upgrade', (response) => this.useSocket(response.socket));
    ws.on('message', (data, isBinary) => this.onMessage(data as Buffer, isBinary));
    ws.on('close', (code) => this.onClose(code));
    ws.on('error', (error) => this.onError(error));
    if (ws.readyState === ws.OPEN) this.begin();
    else ws.once('open', () => this.begin());
  }

  /** Sends one envelope if the link is up; false when it is not (or could not be sent). */
  send(envelope: PeerEnvelope | EnvelopeText): boolean {
    if (this.peer === null || this.ended || this.ws.readyState !== this.ws.OPEN) return false;
    if (this.ws.bufferedAmount > SEND_BUFFER_BYTES_MAX) {
      this.warn('warn', `backlog|${this.peer}`, `peer link to ${this.peer}: more than ${SEND_BUFFER_BYTES_MAX / 1024 / 1024} MiB not yet sent (the peer reads too slowly or the network is cut); closing the link so it resumes from what the peer acknowledged`);
      this.terminate();
      return false;
    }
    const text = 'text' in envelope ? envelope.text : JSON.stringify(envelope);
    const bytes = Buffer.byteLength(text);
    if (bytes > PEER_FRAME_BYTES_MAX) {
      // The peer would close the link on such a frame, and the same frame would be sent again after every reconnect.
      this.warn('error', `oversized|${this.peer}`, `peer link to ${this.peer}: not sending an envelope (${envelope.message.type}, project ${envelope.project}) of ${bytes} bytes; the limit is ${PEER_FRAME_BYTES_MAX}`);
      return false;
    }
    this.ws.send(text);
    return true;
  }

  /** Ends the link at once, with no closing handshake (which could wait behind a full buffer). */
  terminate(): void {
    this.finish();
    this.ws.terminate();
  }

  /** Ends the link telling the other side why. */
  end(kind: RefusalKind): void {
    this.finish();
    this.ws.close(REFUSALS[kind].code, REFUSALS[kind].reason);
  }

  /**
   * The socket is open. Only now does ws read from it, so the handshake budget counts bytes after
   * ws has handled every complete frame in them (a dialer's may already be up).
   */
  private begin(): void {
    let handshakeBytes = 0;
    this.onSocketData = (chunk: Buffer) => {
      handshakeBytes += chunk.length;
      if (this.peer !== null || handshakeBytes <= HANDSHAKE_BYTES_MAX) return;
      const who = this.handshake.claimedPeer ?? 'a node';
      this.warn('warn', `handshakeBytes|${who}|${this.options.address}`, `peer link: cut off ${who} at ${this.options.address}: it sent more than ${HANDSHAKE_BYTES_MAX} bytes before authenticating`);
      this.terminate();
    };
    this.socket?.on('data', this.onSocketData);
    const first = this.handshake.start();
    if (first) this.sendFrame(first);
  }

  private useSocket(socket: Socket): void {
    this.socket = socket;
    // Heartbeats are small and latency-critical: never hold them back to coalesce.
    socket.setNoDelay(true);
  }

  private onMessage(data: Buffer, isBinary: boolean): void {
    if (this.ended) return;
    if (this.peer === null) this.onHandshakeFrame(data, isBinary);
    else this.onEnvelopeFrame(data, isBinary, this.peer);
  }

  private onHandshakeFrame(data: Buffer, isBinary: boolean): void {
    const json = isBinary ? undefined : parseJson(data);
    const step = this.handshake.step(json);
    if (step.kind === 'refuse') {
      this.refuse(step.refusal, step.cause);
      return;
    }
    if (step.frame) this.sendFrame(step.frame);
    if (step.kind === 'up') this.becomeUp(step.peer);
  }

  private becomeUp(peer: string): void {
    this.peer = peer;
    clearTimeout(this.authTimer!);
    this.authTimer = null;
    this.stopWatchingBytes();
    const silenceMs = this.options.silenceMs;
    if (silenceMs !== null && this.socket) {
      let armedAt = performance.now();
      const timer = setTimeout(() => {
        // Fired far too late: this process stood still (a long synchronous task), and what the peer
        // sent meanwhile waits unread in the socket. Count the silence from now, as the engine does.
        if (performance.now() - armedAt > silenceMs * 1.5) {
          armedAt = performance.now();
          timer.refresh();
          return;
        }
        this.onSilence(peer, silenceMs);
      }, silenceMs);
      this.silenceTimer = timer;
      // Bytes, not frames: a long frame still arriving is a sign of life.
      this.onSocketData = () => {
        armedAt = performance.now();
        timer.refresh();
      };
      this.socket.on('data', this.onSocketData);
    }
    this.options.hooks.up(this);
  }

  private onEnvelopeFrame(data: Buffer, isBinary: boolean, peer: string): void {
    const envelope = readEnvelope(data, isBinary, peer);
    if (typeof envelope === 'string') {
      this.warn('warn', `dropped|${peer}`, `peer link from ${peer}: dropped ${envelope}; the link stays up`);
      return;
    }
    this.options.hooks.envelope(peer, envelope);
  }

  private refuse(kind: RefusalKind, cause: string): void {
    const who = this.handshake.claimedPeer ?? 'a node';
    this.warn('warn', `refuse|${kind}|${who}|${this.options.address}`, `peer link: refused ${who} at ${this.options.address}: ${cause}`);
    this.end(kind);
  }

  private onSilence(peer: string, silenceMs: number): void {
    this.warn('warn', `silent|${peer}`, `peer link to ${peer}: nothing received for ${silenceMs} ms; reconnecting`);
    this.terminate();
  }

  private onClose(code: number): void {
    const refusedBy = this.ended || this.peer !== null ? null : refusalReason(code);
    if (refusedBy !== null) {
      const who = this.handshake.claimedPeer ?? 'a node';
      this.warn('warn', `refusedBy|${code}|${who}|${this.options.address}`, `peer link: ${who} at ${this.options.address} refused this node: ${refusedBy}`);
    }
    this.finish();
    this.options.hooks.closed(this);
  }

  private onError(error: Error): void {
    // Errors after we ended the link are the echo of ending it (e.g. closing before the upgrade).
    if (this.ended) return;
    const who = this.peer ?? this.handshake.claimedPeer ?? 'a node';
    const code = (error as NodeJS.ErrnoException).code ?? error.message;
    this.warn('warn', `error|${who}|${this.options.address}|${code}`, `peer link with ${who} at ${this.options.address}: ${error.message}`);
  }

  private finish(): void {
    this.ended = true;
    if (this.authTimer) clearTimeout(this.authTimer);
    if (this.silenceTimer) clearTimeout(this.silenceTimer);
    this.authTimer = null;
    this.silenceTimer = null;
    this.stopWatchingBytes();
  }

  private stopWatchingBytes(): void {
    if (this.onSocketData) this.socket?.off('data', this.onSocketData);
    this.onSocketData = null;
  }

  private sendFrame(frame: HandshakeFrame): void {
    this.ws.send(JSON.stringify(frame));
  }

  private warn(level: 'warn' | 'error', key: string, message: string): void {
    this.options.warnings.log(level, key, message);
    this.options.hooks.problem(message);
  }
}

/** The envelope in a frame, or what is wrong with the frame. */
function readEnvelope(data: Buffer, isBinary: boolean, peer: string): PeerEnvelope | string {
  if (isBinary) return 'a binary frame';
  const json = parseJson(data);
  if (json === undefined) return 'a frame that is not JSON';
  const parsed = PeerEnvelope.safeParse(json);
  if (!parsed.success) return `a frame that is not a peer envelope (${formatIssues(parsed.error.issues)[0]})`;
  if (parsed.data.from !== peer) return `an envelope that names ${JSON.stringify(parsed.data.from)} as its sender`;
  return parsed.data;
}

function parseJson(data: Buffer): unknown {
  try {
    return JSON.parse(data.toString('utf8'));
  } catch {
    return undefined;
  }
}
