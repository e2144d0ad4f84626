import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { captureLogLines } from '../../../test/support/captured-log.js';
import type { PeerEnvelope } from '../../../shared/protocol/peer.js';
import { PeerLinks, type PeerLinksOptions } from './peer-links.js';

const SECRET = 'line-1 secret, do not log 4f9c';
const OTHER_SECRET = 'another secret, do not log 77e1';

interface TestNode {
  server: Server;
  port: number;
  url: string;
  links: PeerLinks | null;
  /** Connection attempts this node's server saw. */
  upgrades: number;
}

const nodes: TestNode[] = [];
const allLinks: PeerLinks[] = [];
const logLines = captureLogLines();

afterEach(async () => {
  for (const links of allLinks.splice(0)) links.close();
  await Promise.all(nodes.splice(0).map((node) => closeServer(node.server)));
  expect(logLines.join('')).not.toContain(SECRET);
  expect(logLines.join('')).not.toContain(OTHER_SECRET);
});

/** An HTTP server like the runtime's: `/peer` upgrades go to the node's links, others are refused. */
async function startServer(port = 0): Promise<TestNode> {
  const server = createServer((_, res) => res.writeHead(404).end());
  const node: TestNode = { server, port: 0, url: '', links: null, upgrades: 0 };
  server.on('upgrade', (req, socket, head) => {
    node.upgrades++;
    if (!node.links?.handleUpgrade(req, socket, head)) socket.destroy();
  });
  server.listen(port, '127.0.0.1');
  await once(server, 'listening');
  node.port = (server.address() as AddressInfo).port;
  node.url = `http://127.0.0.1:${node.port}/`;
  nodes.push(node);
  return node;
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

function startLinks(node: TestNode, options: Omit<PeerLinksOptions, 'cluster' | 'secret'> & Partial<PeerLinksOptions>): PeerLinks {
  const links = new PeerLinks({ cluster: 'line-1', secret: SECRET, ...options });
  node.links = links;
  allLinks.push(links);
  return links;
}

function record(links: PeerLinks) {
  const seen = { envelopes: [] as Array<[string, PeerEnvelope]>, changes: [] as string[] };
  links.onEnvelope((from, envelope) => seen.envelopes.push([from, envelope]));
  links.onLinkChange((node, up) => seen.changes.push(`${node} ${up ? 'up' : 'down'}`));
  return seen;
}

/** An acknowledgement: the smallest envelope, numbered so order can be checked. */
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

const logged = (pattern: RegExp) => logLines.some((line) => pattern.test(line));

/** pc-a (name sorts first, so it dials) and pc-b (accepts), each on its own server. */
async function pair(changeA: Partial<PeerLinksOptions> = {}, changeB: Partial<PeerLinksOptions> = {}) {
  const nodeA = await startServer();
  const nodeB = await startServer();
  const b = startLinks(nodeB, { self: 'pc-b', peers: new Map([['pc-a', nodeA.url]]), ...changeB });
  const a = startLinks(nodeA, { self: 'pc-a', peers: new Map([['pc-b', nodeB.url]]), ...changeA });
  return { a, b, nodeA, nodeB, seenA: record(a), seenB: record(b) };
}

describe('PeerLinks between two nodes', () => {
  it('brings the link up on both sides', async () => {
    const { a, b, seenA, seenB } = await pair();
    await waitFor('both sides are up', () => a.linkState('pc-b') === 'up' && b.linkState('pc-a') === 'up');
    expect(seenA.changes).toEqual(['pc-b up']);
    expect(seenB.changes).toEqual(['pc-a up']);
    expect(a.linkState('pc-x')).toBe('down');
    expect(a.send('pc-x', ack('pc-a', 1))).toBe(false);
  });

  it('carries envelopes both ways, each direction in the order sent', async () => {
    const { a, b, seenA, seenB } = await pair();
    await waitFor('both sides are up', () => a.linkState('pc-b') === 'up' && b.linkState('pc-a') === 'up');
    for (let seq = 1; seq <= 1000; seq++) {
      expect(a.send('pc-b', ack('pc-a', seq))).toBe(true);
      expect(b.send('pc-a', ack('pc-b', seq))).toBe(true);
    }
    await waitFor('all 1,000 envelopes arrived on each side', () => seenA.envelopes.length === 1000 && seenB.envelopes.length === 1000);
    const sequence = (seen: typeof seenA) => seen.envelopes.map(([from, envelope]) => `${from}:${envelope.message.type === 'ack' ? envelope.message.seq : '?'}`);
    expect(sequence(seenB)).toEqual(Array.from({ length: 1000 }, (_, i) => `pc-a:${i + 1}`));
    expect(sequence(seenA)).toEqual(Array.from({ length: 1000 }, (_, i) => `pc-b:${i + 1}`));
    expect(seenB.envelopes[0]![1]).toEqual(ack('pc-a', 1));
  });

  it.each([
    ['the dialer', { secret: OTHER_SECRET }, {}],
    ['the acceptor', {}, { secret: OTHER_SECRET }],
  ])('refuses a link when %s has the wrong secret, on both sides, delivering nothing', async (_, changeA, changeB) => {
    const { a, b, seenA, seenB } = await pair(changeA, changeB);
    await waitFor('the dialer refused the acceptor', () => logged(/peer link: refused pc-b at ws:\/\/127\.0\.0\.1:\d+\/peer: pc-b could not prove it knows the cluster secret/));
    await waitFor('the acceptor heard why', () => logged(/peer link: pc-a at 127\.0\.0\.1 refused this node: authentication failed/));
    expect([a.linkState('pc-b'), b.linkState('pc-a')]).toEqual(['down', 'down']);
    expect(a.send('pc-b', ack('pc-a', 1))).toBe(false);
    expect(b.send('pc-a', ack('pc-b', 1))).toBe(false);
    expect([...seenA.changes, ...seenB.changes, ...seenA.envelopes, ...seenB.envelopes]).toEqual([]);
  });

  it('refuses a node of another cluster and says so on both sides', async () => {
    const { a, b, seenB } = await pair({ cluster: 'line-2' });
    await waitFor('the acceptor refused', () => logged(/peer link: refused pc-a at 127\.0\.0\.1: it is in cluster line-2, this node in cluster line-1/));
    await waitFor('the dialer heard why', () => logged(/peer link: pc-b at ws:\/\/127\.0\.0\.1:\d+\/peer refused this node: wrong cluster/));
    expect([a.linkState('pc-b'), b.linkState('pc-a')]).toEqual(['down', 'down']);
    expect(seenB.changes).toEqual([]);
  });

  it('refuses a node that is not its peer', async () => {
    const nodeB = await startServer();
    const nodeZ = await startServer();
    const b = startLinks(nodeB, { self: 'pc-b', peers: new Map([['pc-a', 'http://127.0.0.1:1/']]) });
    const seenB = record(b);
    const z = startLinks(nodeZ, { self: 'pc-0', peers: new Map([['pc-b', nodeB.url]]) });
    await waitFor('the acceptor refused', () => logged(/peer link: refused pc-0 at 127\.0\.0\.1: pc-0 is not a peer of pc-b in cluster line-1 \(peers: pc-a\)/));
    await waitFor('the dialer heard why', () => logged(/pc-b at ws:\/\/127\.0\.0\.1:\d+\/peer refused this node: not a peer/));
    expect(z.linkState('pc-b')).toBe('down');
    expect(seenB.changes).toEqual([]);
  });

  it('logs a refusal once a minute, however often the peer retries', async () => {
    const { nodeB } = await pair({ secret: OTHER_SECRET });
    await waitFor('the dialer tried three times', () => nodeB.upgrades >= 3);
    expect(logLines.filter((line) => /peer link: refused pc-b/.test(line))).toHaveLength(1);
    expect(logLines.filter((line) => /refused this node/.test(line))).toHaveLength(1);
  });

  it('comes back by itself when the accepting node restarts on the same port', async () => {
    const { a, nodeB, seenA } = await pair();
    await waitFor('the link is up', () => a.linkState('pc-b') === 'up');
    nodeB.links!.close();
    await closeServer(nodeB.server);
    await waitFor('the dialer saw the link go down', () => a.linkState('pc-b') === 'down');
    const restarted = await startServer(nodeB.port);
    const b2 = startLinks(restarted, { self: 'pc-b', peers: new Map([['pc-a', 'http://127.0.0.1:1/']]) });
    const seenB2 = record(b2);
    await waitFor('the link is back', () => a.linkState('pc-b') === 'up' && b2.linkState('pc-a') === 'up');
    expect(seenA.changes).toEqual(['pc-b up', 'pc-b down', 'pc-b up']);
    expect(a.send('pc-b', ack('pc-a', 7))).toBe(true);
    await waitFor('the restarted node received', () => seenB2.envelopes.length === 1);
  });

  it('leaves nothing running after close(): a process that used it exits by itself', async () => {
    const module = fileURLToPath(new URL('./peer-links.ts', import.meta.url));
    // pc-c's port is closed, so pc-a is between retries when it closes.
    const script = `
      import { createServer } from 'node:http';
      import { PeerLinks } from ${JSON.stringify(module)};
      const listen = (server) => new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server.address().port)));
      const servers = [createServer(), createServer(), createServer()];
      const [portA, portB, portC] = await Promise.all(servers.map(listen));
      await new Promise((resolve) => servers[2].close(resolve));
      const common = { cluster: 'line-1', secret: ${JSON.stringify(SECRET)} };
      const a = new PeerLinks({ ...common, self: 'pc-a', peers: new Map([['pc-b', 'http://127.0.0.1:' + portB], ['pc-c', 'http://127.0.0.1:' + portC]]) });
      const b = new PeerLinks({ ...common, self: 'pc-b', peers: new Map([['pc-a', 'http://127.0.0.1:' + portA]]) });
      servers[0].on('upgrade', (req, socket, head) => a.handleUpgrade(req, socket, head));
      servers[1].on('upgrade', (req, socket, head) => b.handleUpgrade(req, socket, head));
      await new Promise((resolve) => b.onLinkChange(resolve));
      a.send('pc-b', ${JSON.stringify(ack('pc-a', 1))});
      a.close();
      b.close();
      servers[0].close();
      servers[1].close();
      console.log('closed');
    `;
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += String(chunk)));
    child.stderr.on('data', (chunk) => (output += String(chunk)));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const deadline = new Promise<'still running'>((resolve) => setTimeout(() => resolve('still running'), 20_000).unref());
    const result = await Promise.race([exited, deadline]);
    child.kill('SIGKILL');
    expect({ result, output }).toMatchObject({ result: 0, output: expect.stringContaining('closed') });
  });
});
