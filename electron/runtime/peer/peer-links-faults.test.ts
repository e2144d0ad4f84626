import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { captureLogLines } from '../../../test/support/captured-log.js';
import { WebSocket, WebSocketServer } from 'ws';
import { PEER_FRAME_BYTES_MAX, type PeerEnvelope } from '../../../shared/protocol/peer.js';
import { AcceptorHandshake, DialerHandshake, type Handshake, type PeerIdentity } from './handshake.js';
import { PeerLinks, type PeerLinksOptions } from './peer-links.js';

/**
 * A PeerLinks node against a hand-driven peer that uses the real handshake and then misbehaves on
 * the raw socket: what a buggy, hostile or stalled node looks like from the other side.
 */

const SECRET = 'line-1 secret, do not log 4f9c';

const cleanups: Array<() => void | Promise<void>> = [];
const logLines = captureLogLines();

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  expect(logLines.join('')).not.toContain(SECRET);
});

function identity(self: string, peers: string[]): PeerIdentity {
  return { cluster: 'line-1', secret: SECRET, self, peers: new Set(peers) };
}

function ack(from: string, seq: number): PeerEnvelope {
  return { project: 'demo', from, epoch: 1, message: { type: 'ack', seq } };
}

async function waitFor(what: string, condition: () => boolean, deadlineMs = 10_000): Promise<void> {
  const deadline = Date.now() + deadlineMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}\nlog:\n${logLines.join('')}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** A promise that must settle within a deadline, so a missing close fails fast instead of hanging. */
function within<T>(what: string, promise: Promise<T>, deadlineMs = 10_000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out waiting until ${what}`)), deadlineMs);
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

const logged = (pattern: RegExp) => logLines.some((line) => pattern.test(line));

/** Runs the real handshake on a raw socket; resolves once both sides are proven. */
function handshake(ws: WebSocket, side: Handshake): Promise<void> {
  return new Promise((resolve, reject) => {
    const onMessage = (data: Buffer) => {
      const step = side.step(JSON.parse(data.toString()));
      if (step.kind === 'refuse') return reject(new Error(step.cause));
      if (step.frame) ws.send(JSON.stringify(step.frame));
      if (step.kind === 'up') {
        ws.off('message', onMessage);
        resolve();
      }
    };
    ws.on('message', onMessage);
    const first = side.start();
    if (first) ws.send(JSON.stringify(first));
  });
}

async function listen(server: Server): Promise<string> {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  cleanups.push(() => new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  }));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
}

function startLinks(options: Pick<PeerLinksOptions, 'self' | 'peers'> & Partial<PeerLinksOptions>) {
  const links = new PeerLinks({ cluster: 'line-1', secret: SECRET, ...options });
  cleanups.push(() => links.close());
  const seen = { envelopes: [] as PeerEnvelope[], changes: [] as string[] };
  links.onEnvelope((_, envelope) => seen.envelopes.push(envelope));
  links.onLinkChange((node, up) => seen.changes.push(`${node} ${up ? 'up' : 'down'}`));
  return { links, seen };
}

interface RawSession {
  ws: WebSocket;
  socket: Socket;
}

/** A hand-driven pc-b that accepts pc-a's links; each authenticated socket is handed to the test. */
async function rawAcceptor() {
  const wss = new WebSocketServer({ noServer: true });
  const sessions: RawSession[] = [];
  const server = createServer();
  server.on('upgrade', (req, socket, head) => {
    wss.handleUpgrade(req, socket, head, (ws) => {
      ws.on('error', () => undefined);
      void handshake(ws, new AcceptorHandshake(identity('pc-b', ['pc-a']))).then(() => sessions.push({ ws, socket: socket as Socket }));
    });
  });
  const url = await listen(server);
  cleanups.push(() => {
    for (const client of wss.clients) client.terminate();
  });
  return { url, sessions };
}

/** A real pc-a dialling the hand-driven pc-b. */
async function dialerAgainstRaw(options: Partial<PeerLinksOptions> = {}) {
  const raw = await rawAcceptor();
  const a = startLinks({ self: 'pc-a', peers: new Map([['pc-b', raw.url]]), ...options });
  await waitFor('the link is up', () => a.links.linkState('pc-b') === 'up' && raw.sessions.length === 1);
  return { ...a, raw };
}

/** A real pc-b accepting, and a way to dial it by hand. */
async function acceptorForRaw() {
  const server = createServer();
  const b = startLinks({ self: 'pc-b', peers: new Map([['pc-a', 'http://127.0.0.1:1/']]) });
  server.on('upgrade', (req, socket, head) => {
    if (!b.links.handleUpgrade(req, socket, head)) socket.destroy();
  });
  const url = await listen(server);
  const dial = async () => {
    const ws = new WebSocket(new URL('/peer', url).toString().replace('http', 'ws'));
    ws.on('error', () => undefined);
    cleanups.push(() => ws.terminate());
    const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
    await once(ws, 'open');
    return { ws, closed };
  };
  return { ...b, dial };
}

describe('PeerLinks against a misbehaving peer', () => {
  it('drops frames that are not envelopes of the authenticated peer and keeps the link', async () => {
    const { links, seen, raw } = await dialerAgainstRaw();
    const { ws } = raw.sessions[0]!;
    ws.send('not json {');
    ws.send(JSON.stringify({ type: 'heartbeat', from: 'pc-b' }));
    ws.send(Buffer.from([1, 2, 3]));
    ws.send(JSON.stringify(ack('pc-c', 1)));
    ws.send(JSON.stringify(ack('pc-b', 2)));
    await waitFor('the good envelope arrived', () => seen.envelopes.length === 1);
    expect(seen.envelopes).toEqual([ack('pc-b', 2)]);
    expect(seen.changes).toEqual(['pc-b up']);
    expect(links.linkState('pc-b')).toBe('up');
    expect(logged(/peer link from pc-b: dropped a frame that is not JSON; the link stays up/)).toBe(true);
  });

  it('closes the socket on an oversized frame and the link comes back by itself', async () => {
    const { links, seen, raw } = await dialerAgainstRaw();
    raw.sessions[0]!.ws.send('x'.repeat(PEER_FRAME_BYTES_MAX + 1));
    await waitFor('the link came back on a new socket', () => raw.sessions.length === 2 && links.linkState('pc-b') === 'up');
    expect(seen.changes).toEqual(['pc-b up', 'pc-b down', 'pc-b up']);
    expect(logged(/Max payload size exceeded/)).toBe(true);
    raw.sessions[1]!.ws.send(JSON.stringify(ack('pc-b', 1)));
    await waitFor('an envelope arrived on the new socket', () => seen.envelopes.length === 1);
  });

  it('refuses to send an envelope bigger than a frame may be, keeping the link', async () => {
    const { links, raw } = await dialerAgainstRaw();
    const huge = Object.assign(ack('pc-a', 1), { padding: 'x'.repeat(PEER_FRAME_BYTES_MAX) });
    expect(links.send('pc-b', huge)).toBe(false);
    expect(logged(/peer link to pc-b: not sending an envelope \(ack, project demo\) of \d+ bytes; the limit is 16777216/)).toBe(true);
    expect(links.linkState('pc-b')).toBe('up');
    const received: string[] = [];
    raw.sessions[0]!.ws.on('message', (data) => received.push(String(data)));
    expect(links.send('pc-b', ack('pc-a', 2))).toBe(true);
    await waitFor('the next envelope arrived', () => received.length === 1);
  });

  it('closes a link whose peer stops reading once 64 MiB wait unsent, and it comes back', async () => {
    const { links, seen, raw } = await dialerAgainstRaw();
    raw.sessions[0]!.socket.pause();
    // The content does not matter: the peer never reads it.
    const bulky = Object.assign(ack('pc-a', 1), { padding: 'x'.repeat(1024 * 1024) });
    let sent = 0;
    while (links.send('pc-b', bulky)) {
      sent++;
      expect(sent).toBeLessThan(200);
      await nextTurn();
    }
    expect(logged(/peer link to pc-b: more than 64 MiB not yet sent/)).toBe(true);
    await waitFor('the link came back on a new socket', () => raw.sessions.length === 2 && links.linkState('pc-b') === 'up');
    expect(seen.changes).toEqual(['pc-b up', 'pc-b down', 'pc-b up']);
  });

  it('closes and redials a link on which nothing arrives for silenceMs', async () => {
    const { links, seen, raw } = await dialerAgainstRaw({ silenceMs: 300 });
    await waitFor('a silent link was redialled', () => raw.sessions.length >= 2 && links.linkState('pc-b') === 'up');
    expect(seen.changes.slice(0, 3)).toEqual(['pc-b up', 'pc-b down', 'pc-b up']);
    expect(logged(/peer link to pc-b: nothing received for 300 ms; reconnecting/)).toBe(true);
  });

  it('does not count a stall of its own process as the peer falling silent', async () => {
    const { seen, raw } = await dialerAgainstRaw({ silenceMs: 300 });
    raw.sessions[0]!.ws.send(JSON.stringify(ack('pc-b', 1)));
    // This process stands still for over three silence windows; the ack waits unread in the socket.
    const until = performance.now() + 1_000;
    while (performance.now() < until);
    for (let seq = 2; seq <= 20; seq++) {
      raw.sessions[0]!.ws.send(JSON.stringify(ack('pc-b', seq)));
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await waitFor('every envelope arrived', () => seen.envelopes.length === 20);
    expect(seen.changes).toEqual(['pc-b up']);
  });

  it('keeps a link with silenceMs while the peer keeps talking', async () => {
    const { seen, raw } = await dialerAgainstRaw({ silenceMs: 1_000 });
    for (let seq = 1; seq <= 75; seq++) {
      raw.sessions[0]!.ws.send(JSON.stringify(ack('pc-b', seq)));
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await waitFor('every envelope arrived', () => seen.envelopes.length === 75);
    expect(seen.changes).toEqual(['pc-b up']);
  });

  it('refuses an impostor that answers the challenge without the secret, delivering nothing it sent', async () => {
    const { links, seen, dial } = await acceptorForRaw();
    const { ws, closed } = await dial();
    const impostor = new DialerHandshake({ ...identity('pc-a', ['pc-b']), secret: 'a guess at the secret 000' }, 'pc-b');
    ws.send(JSON.stringify(impostor.start()));
    await within('the challenge came', once(ws, 'message'));
    ws.send(JSON.stringify({ type: 'answer', proof: 'ab'.repeat(32) }));
    ws.send(JSON.stringify(ack('pc-a', 1)));
    expect(await within('the impostor was refused', closed)).toBe(4006);
    expect(logged(/peer link: refused pc-a at 127\.0\.0\.1: pc-a could not prove it knows the cluster secret/)).toBe(true);
    expect(seen).toEqual({ envelopes: [], changes: [] });
    expect(links.linkState('pc-a')).toBe('down');
  });

  it('refuses a peer that sends an envelope before any hello', async () => {
    const { seen, dial } = await acceptorForRaw();
    const { ws, closed } = await dial();
    ws.send(JSON.stringify(ack('pc-a', 1)));
    expect(await within('the peer was refused', closed)).toBe(4000);
    expect(seen).toEqual({ envelopes: [], changes: [] });
  });

  it('cuts off a stranger that sends more than a handshake before authenticating', async () => {
    const { seen, dial } = await acceptorForRaw();
    const { ws, closed } = await dial();
    ws.send('x'.repeat(PEER_FRAME_BYTES_MAX - 1));
    expect(await within('the stranger was cut off', closed)).toBe(1006);
    expect(logged(/peer link: cut off a node at 127\.0\.0\.1: it sent more than 4096 bytes before authenticating/)).toBe(true);
    expect(seen).toEqual({ envelopes: [], changes: [] });
  });

  it('closes a socket that does not authenticate in time', async () => {
    const { dial } = await acceptorForRaw();
    const { closed } = await dial();
    expect(await within('the silent socket was closed', closed)).toBe(4007);
    expect(logged(/peer link: refused a node at 127\.0\.0\.1: authentication did not finish within 5000 ms/)).toBe(true);
  });

  it('replaces the link when the peer dials again, and says the old one went down', async () => {
    const { links, seen, dial } = await acceptorForRaw();
    const first = await dial();
    await within('the first handshake finished', handshake(first.ws, new DialerHandshake(identity('pc-a', ['pc-b']), 'pc-b')));
    await waitFor('the first link is up', () => links.linkState('pc-a') === 'up');
    const second = await dial();
    await within('the second handshake finished', handshake(second.ws, new DialerHandshake(identity('pc-a', ['pc-b']), 'pc-b')));
    expect(await within('the first link was replaced', first.closed)).toBe(4008);
    second.ws.send(JSON.stringify(ack('pc-a', 1)));
    await waitFor('the envelope on the new link arrived', () => seen.envelopes.length === 1);
    expect(seen.changes).toEqual(['pc-a up', 'pc-a down', 'pc-a up']);
  });

  it('answers an upgrade for another path with false, leaving it to the caller', async () => {
    const { links } = await acceptorForRaw();
    const server = createServer();
    let handled: boolean | null = null;
    server.on('upgrade', (req, socket, head) => {
      handled = links.handleUpgrade(req, socket, head);
      socket.destroy();
    });
    const url = await listen(server);
    const ws = new WebSocket(url.replace('http', 'ws') + 'ws');
    ws.on('error', () => undefined);
    await waitFor('the upgrade was offered', () => handled !== null);
    expect(handled).toBe(false);
  });
});
