/**
 * A protocol client that behaves like a station following the Server: it subscribes on one node,
 * keeps the last (epoch, seq) it saw, and when that node is lost (socket closed, or silent for 1 s)
 * or says another node serves, it connects to the other node of `status.nodes` and subscribes with
 * `resume`. Every frame is parsed with the `ServerMessage` schema, as the station does.
 */
import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';
import type { Position } from '../shared/protocol/entities.js';
import { ServerMessage, type ClientMessage } from '../shared/protocol/ws.js';

/** No frame for this long: the node is lost (the station's SILENCE_LIMIT_MS). */
const SILENCE_LIMIT_MS = 1_000;
/** A node we lost is not followed back to for this long, unless nothing else answers. */
const DOWN_HOLD_MS = 2_000;
/** Wait between two connection attempts when every node refuses. */
const RETRY_MS = 100;

export interface StationEvents {
  lost(node: string, atMs: number): void;
  connected(node: string, atMs: number): void;
  snapshot(node: string, atMs: number, resumed: boolean): void;
  values(node: string, atMs: number): void;
}

export class StationClient {
  node: string;
  private socket: WebSocket | null = null;
  private position: Position | undefined;
  private readonly downAt = new Map<string, number>();
  private lastHeardAt = performance.now();
  private readonly watchdog: NodeJS.Timeout;
  private retry: NodeJS.Timeout | null = null;
  private stopped = false;
  /** Node name -> URL, learnt from status frames (null there means the node we are on). */
  private readonly urls: Map<string, string>;

  constructor(
    urls: Record<string, string>,
    first: string,
    private readonly project: string,
    private readonly events: StationEvents,
  ) {
    this.urls = new Map(Object.entries(urls));
    this.node = first;
    this.watchdog = setInterval(() => {
      if (this.socket && performance.now() - this.lastHeardAt > SILENCE_LIMIT_MS) this.lose();
    }, 100);
    this.connect(first);
  }

  stop(): void {
    this.stopped = true;
    clearInterval(this.watchdog);
    if (this.retry) clearTimeout(this.retry);
    this.socket?.terminate();
    this.socket = null;
  }

  private connect(node: string): void {
    this.retry = null;
    if (this.stopped) return;
    this.node = node;
    this.lastHeardAt = performance.now();
    const socket = new WebSocket(new URL('/ws', this.urls.get(node)).href.replace(/^http/, 'ws'));
    this.socket = socket;
    socket.on('open', () => {
      if (this.socket !== socket) return;
      this.events.connected(node, performance.now());
      const subscribe: ClientMessage = { type: 'subscribe', project: this.project, ...(this.position ? { resume: this.position } : {}) };
      socket.send(JSON.stringify(subscribe));
    });
    socket.on('message', (data) => {
      if (this.socket === socket) this.receive(node, String(data));
    });
    socket.on('close', () => {
      if (this.socket === socket) this.lose();
    });
    socket.on('error', () => {
      if (this.socket === socket) this.lose();
    });
  }

  private receive(node: string, text: string): void {
    const atMs = performance.now();
    this.lastHeardAt = atMs;
    const parsed = ServerMessage.safeParse(JSON.parse(text));
    if (!parsed.success) throw new Error(`a frame the protocol does not know: ${parsed.error.issues[0]?.message}`);
    const message = parsed.data;
    switch (message.type) {
      case 'snapshot':
        this.position = message.position;
        this.events.snapshot(node, atMs, message.resumed);
        this.followIfNotServing(message.role, message.server);
        break;
      case 'alarms':
      case 'cel':
        this.position = message.position;
        break;
      case 'values':
        this.events.values(node, atMs);
        break;
      case 'status':
        for (const entry of message.status.nodes) if (entry.url) this.urls.set(entry.node, entry.url);
        this.followIfNotServing(message.status.role, message.status.server);
        break;
      default:
        break;
    }
  }

  /** The node we are on says another one serves: go there, unless we just lost that one. */
  private followIfNotServing(role: string, server: string): void {
    if (role === 'server' || server === '' || server === this.node || !this.urls.has(server)) return;
    const downAt = this.downAt.get(server);
    if (downAt !== undefined && performance.now() - downAt < DOWN_HOLD_MS) return;
    this.switchTo(server);
  }

  private lose(): void {
    const lost = this.node;
    const atMs = performance.now();
    this.downAt.set(lost, atMs);
    this.events.lost(lost, atMs);
    const next = [...this.urls.keys()].find((node) => node !== lost) ?? lost;
    this.socket?.removeAllListeners();
    this.socket?.on('error', () => undefined);
    this.socket?.terminate();
    this.socket = null;
    // Straight to the other node; when that one was lost lately too, wait a little before each attempt.
    const nextDownAt = this.downAt.get(next);
    const delayMs = nextDownAt !== undefined && atMs - nextDownAt < DOWN_HOLD_MS ? RETRY_MS : 0;
    if (this.retry === null) this.retry = setTimeout(() => this.connect(next), delayMs);
  }

  private switchTo(node: string): void {
    this.socket?.removeAllListeners();
    this.socket?.on('error', () => undefined);
    this.socket?.close();
    this.socket = null;
    this.connect(node);
  }
}
