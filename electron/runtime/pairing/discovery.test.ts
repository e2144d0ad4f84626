import { createSocket } from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import { systemClock } from '../clock.js';
import { discoverNodes, DiscoveryResponder } from './discovery.js';

const responders: DiscoveryResponder[] = [];
afterEach(() => {
  for (const responder of responders.splice(0)) responder.close();
});

/** A free UDP port on this PC. */
function freeUdpPort(): Promise<number> {
  return new Promise((resolve) => {
    const socket = createSocket('udp4');
    socket.bind(0, '127.0.0.1', () => {
      const { port } = socket.address();
      socket.close(() => resolve(port));
    });
  });
}

function startResponder(port: number, node: string): void {
  const responder = DiscoveryResponder.start(port, () => ({ instance: `instance-${node}`, node, version: '0.1.0', host: null, port: 7480, cluster: null, projects: ['fast'] }), systemClock);
  responders.push(responder!);
}

/** Sends each datagram to the port and collects what comes back within `waitMs`. */
function sendAndListen(port: number, datagrams: Buffer[], waitMs = 300): Promise<string[]> {
  return new Promise((resolve) => {
    const socket = createSocket('udp4');
    const answers: string[] = [];
    socket.on('message', (data) => answers.push(data.toString()));
    socket.bind(0, '127.0.0.1', () => {
      for (const datagram of datagrams) socket.send(datagram, port, '127.0.0.1');
      setTimeout(() => socket.close(() => resolve(answers)), waitMs);
    });
  });
}

const query = Buffer.from(JSON.stringify({ type: 'discover', protocol: 'tandem-pairing/1', asker: 'test' }));

describe('pairing discovery on UDP', () => {
  it('ignores garbage, oversized and foreign datagrams, and still answers a real search', async () => {
    const port = await freeUdpPort();
    startResponder(port, 'pc-b');
    const garbage = [
      Buffer.from('not json at all'),
      Buffer.from([0xff, 0x00, 0x13, 0x37]),
      Buffer.from(JSON.stringify({ type: 'discover', protocol: 'someone-else/9', asker: 'x' })),
      Buffer.from(JSON.stringify({ type: 'discover', protocol: 'tandem-pairing/1', asker: 'x', padding: 'y'.repeat(4000) })),
      Buffer.alloc(0),
    ];
    expect(await sendAndListen(port, garbage)).toEqual([]);
    const found = await discoverNodes(port, 'asker');
    expect(found.map((node) => node.node)).toEqual(['pc-b']);
    // Found over TLS: a typed or picked address is reached with https://.
    expect(found[0]!.url).toMatch(/^https:\/\/[^/]+:7480\/$/);
  });

  it('answers at most 20 queries a second, so it cannot be used to flood someone else', async () => {
    const port = await freeUdpPort();
    startResponder(port, 'pc-b');
    const answers = await sendAndListen(port, Array.from({ length: 60 }, () => query));
    expect(answers.length).toBeGreaterThan(0);
    expect(answers.length).toBeLessThanOrEqual(20);
    expect(JSON.parse(answers[0]!)).toMatchObject({ type: 'here', node: 'pc-b' });
  });
});
