import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ClientMessage, ServerMessage } from '../../../shared/protocol/ws.js';
import type { LinkState } from '../stores/connection-store.js';
import { startWsClient, type SocketLike, type WsClient } from './ws-client.js';

class FakeSocket implements SocketLike {
  onopen: (() => void) | null = null;
  onmessage: ((event: { data: unknown }) => void) | null = null;
  onclose: (() => void) | null = null;
  onerror: (() => void) | null = null;
  sent: ClientMessage[] = [];
  closed = false;
  send(data: string) {
    this.sent.push(JSON.parse(data) as ClientMessage);
  }
  close() {
    this.closed = true;
  }
  frame(message: ServerMessage | string) {
    this.onmessage?.({ data: typeof message === 'string' ? message : JSON.stringify(message) });
  }
}

describe('WebSocket client', () => {
  let sockets: FakeSocket[];
  let states: LinkState[];
  let received: ServerMessage[];
  let client: WsClient;

  beforeEach(() => {
    vi.useFakeTimers();
    sockets = [];
    states = [];
    received = [];
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    client = startWsClient({
      url: () => 'ws://test/ws',
      createSocket: () => {
        const socket = new FakeSocket();
        sockets.push(socket);
        return socket;
      },
      onOpen: (send) => send({ type: 'subscribe', project: 'demo' }),
      onMessage: (message) => received.push(message),
      onLinkState: (state) => states.push(state),
    });
  });

  afterEach(() => {
    client.stop();
    vi.useRealTimers();
    vi.restoreAllMocks();
  });

  const open = async (socket: FakeSocket) => {
    socket.onopen?.();
    await vi.advanceTimersByTimeAsync(0);
    socket.frame({ type: 'welcome', node: 'pc-a', version: '1', heartbeatMs: 250 });
  };

  it('subscribes on open and reports connected on the first frame', async () => {
    await open(sockets[0]!);
    expect(sockets[0]!.sent).toEqual([{ type: 'subscribe', project: 'demo' }]);
    expect(states).toEqual(['connected']);
    expect(received.map((m) => m.type)).toEqual(['welcome']);
  });

  it('drops frames the protocol does not know and stays connected', async () => {
    await open(sockets[0]!);
    sockets[0]!.frame('{"type":"bogus"}');
    sockets[0]!.frame('not json');
    expect(received).toHaveLength(1);
    expect(states).toEqual(['connected']);
  });

  it('reports the link lost within a second of silence while heartbeats stop, then reconnects', async () => {
    await open(sockets[0]!);
    for (let i = 0; i < 4; i++) {
      await vi.advanceTimersByTimeAsync(250);
      sockets[0]!.frame({ type: 'heartbeat', t: i });
    }
    expect(states).toEqual(['connected']);
    await vi.advanceTimersByTimeAsync(1_100);
    expect(states).toEqual(['connected', 'lost']);
    expect(sockets[0]!.closed).toBe(true);
    await vi.advanceTimersByTimeAsync(250);
    expect(sockets).toHaveLength(2);
    await open(sockets[1]!);
    expect(states).toEqual(['connected', 'lost', 'connected']);
  });

  it('backs off 250, 500, 1000, 2000, 2000 ms while the server stays away', async () => {
    await open(sockets[0]!);
    const delays: number[] = [];
    for (let attempt = 0; attempt < 5; attempt++) {
      const socketsBefore = sockets.length;
      sockets[sockets.length - 1]!.onclose?.();
      let waited = 0;
      while (sockets.length === socketsBefore) {
        await vi.advanceTimersByTimeAsync(50);
        waited += 50;
      }
      delays.push(waited);
    }
    expect(delays).toEqual([250, 500, 1000, 2000, 2000]);
  });

  it('moves to another node on request without reporting the link lost, and sends only on an open socket', async () => {
    await open(sockets[0]!);
    expect(client.send({ type: 'unsubscribe', project: 'demo' })).toBe(true);
    client.reconnect(0);
    expect(sockets[0]!.closed).toBe(true);
    expect(states).toEqual(['connected', 'connecting']);
    expect(client.send({ type: 'unsubscribe', project: 'demo' })).toBe(false);
    await vi.advanceTimersByTimeAsync(0);
    expect(sockets).toHaveLength(2);
    expect(client.send({ type: 'unsubscribe', project: 'demo' })).toBe(false);
    await open(sockets[1]!);
    expect(states).toEqual(['connected', 'connecting', 'connected']);
  });
});
