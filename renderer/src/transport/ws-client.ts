import { ServerMessage, type ClientMessage } from '../../../shared/protocol/ws.js';
import type { LinkState } from '../stores/connection-store.js';
import { reconnectDelayMs } from './backoff.js';

/** No frame for this long means the link is gone, even if the socket says nothing (silent partition). */
export const SILENCE_LIMIT_MS = 1_000;
const WATCHDOG_PERIOD_MS = 100;

/** The part of the browser WebSocket this client uses, so tests can hand in a fake. */
export interface SocketLike {
  onopen: (() => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  onclose: (() => void) | null;
  onerror: (() => void) | null;
  send(data: string): void;
  close(): void;
}

export interface WsClientOptions {
  /** Where to connect; asked again before every connection, so the link can move to another node. */
  url(): string;
  createSocket(url: string): SocketLike;
  /** Called on every open; a rejected promise drops the socket and retries later. */
  onOpen(send: (message: ClientMessage) => void): void | Promise<void>;
  onMessage(message: ServerMessage, atMs: number): void;
  onLinkState(state: LinkState, atMs: number): void;
  /** A connection failed, closed or fell silent (not one closed on purpose). */
  onDrop?(): void;
  /** Wait before reconnect attempt `attempt` (0 for the first after a loss); the bounded backoff unless given. */
  reconnectDelayMs?(attempt: number): number;
}

export interface WsClient {
  /** Sends on the open connection; false when there is none. */
  send(message: ClientMessage): boolean;
  /** Closes the connection on purpose and opens the next one (to `url()`) after `delayMs`. */
  reconnect(delayMs: number): void;
  stop(): void;
}

export function startWsClient(options: WsClientOptions): WsClient {
  let socket: SocketLike | null = null;
  /** The socket once it is open: a browser WebSocket throws on send before that. */
  let openSocket: SocketLike | null = null;
  let state: LinkState = 'connecting';
  let attempt = 0;
  let lastHeardAt = Date.now();
  let reconnectTimer: ReturnType<typeof setTimeout> | null = null;
  let stopped = false;
  const delayFor = (n: number) => (options.reconnectDelayMs ?? reconnectDelayMs)(n);

  const setState = (next: LinkState, atMs = Date.now()) => {
    if (state === next) return;
    state = next;
    options.onLinkState(next, atMs);
  };

  const connect = () => {
    reconnectTimer = null;
    lastHeardAt = Date.now();
    let current: SocketLike;
    try {
      current = options.createSocket(options.url());
    } catch (error) {
      console.warn('tandem: could not open the WebSocket', error);
      options.onDrop?.();
      reconnectTimer = setTimeout(connect, delayFor(attempt++));
      return;
    }
    socket = current;
    current.onopen = () => {
      openSocket = current;
      const send = (message: ClientMessage) => {
        if (socket === current) current.send(JSON.stringify(message));
      };
      Promise.resolve()
        .then(() => options.onOpen(send))
        .catch((error: unknown) => {
          console.warn('tandem: could not subscribe', error);
          if (socket === current) drop();
        });
    };
    current.onmessage = (event) => receive(event.data);
    current.onclose = () => {
      if (socket === current) drop();
    };
    current.onerror = current.onclose;
  };

  const receive = (data: unknown) => {
    lastHeardAt = Date.now();
    let parsed: ReturnType<typeof ServerMessage.safeParse>;
    try {
      parsed = ServerMessage.safeParse(JSON.parse(String(data)));
    } catch (error) {
      console.warn('tandem: dropped a frame that is not JSON', error);
      return;
    }
    if (!parsed.success) {
      const first = parsed.error.issues[0];
      console.warn(`tandem: dropped a frame the protocol does not know: ${first?.path.join('.')}: ${first?.message}`);
      return;
    }
    attempt = 0;
    setState('connected');
    options.onMessage(parsed.data, lastHeardAt);
  };

  const close = () => {
    const closing = socket;
    socket = null;
    openSocket = null;
    if (closing) {
      closing.onopen = closing.onmessage = closing.onclose = closing.onerror = null;
      closing.close();
    }
  };

  const drop = () => {
    close();
    // The link died when the server was last heard, not when the watchdog noticed.
    if (state === 'connected') setState('lost', lastHeardAt);
    if (stopped) return;
    options.onDrop?.();
    if (reconnectTimer === null) reconnectTimer = setTimeout(connect, delayFor(attempt++));
  };

  const watchdog = setInterval(() => {
    if (socket !== null && Date.now() - lastHeardAt > SILENCE_LIMIT_MS) drop();
  }, WATCHDOG_PERIOD_MS);

  connect();

  return {
    send(message) {
      if (openSocket === null) return false;
      openSocket.send(JSON.stringify(message));
      return true;
    },
    reconnect(delayMs) {
      if (stopped) return;
      close();
      setState('connecting');
      if (reconnectTimer !== null) clearTimeout(reconnectTimer);
      reconnectTimer = setTimeout(connect, delayMs);
    },
    stop() {
      stopped = true;
      clearInterval(watchdog);
      if (reconnectTimer !== null) clearTimeout(reconnectTimer);
      drop();
    },
  };
}
