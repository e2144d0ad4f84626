import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { captureLogLines } from '../../../test/support/captured-log.js';
import type { PeerEnvelope } from '../../../shared/protocol/peer.js';
import { loadOrCreateNodeCertificate, type NodeCertificate } from '../tls/node-certificate.js';
import { NodeListener } from '../tls/node-listener.js';
import { PeerLinks } from './peer-links.js';

const SECRET = 'tls test secret, long enough';
const dir = mkdtempSync(join(tmpdir(), 'tandem-peer-tls-'));
const certificates: Record<'pc-a' | 'pc-b', NodeCertificate> = {} as never;
const cleanups: Array<() => unknown> = [];
const logLines = captureLogLines();

beforeAll(async () => {
  certificates['pc-a'] = await loadOrCreateNodeCertificate(join(dir, 'pc-a'), 'pc-a');
  certificates['pc-b'] = await loadOrCreateNodeCertificate(join(dir, 'pc-b'), 'pc-b');
  return () => rmSync(dir, { recursive: true, force: true });
});


afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A node as the runtime runs it: its certificate on one port, `/peer` upgrades to its links. */
async function startNode(self: 'pc-a' | 'pc-b'): Promise<{ url: string; attach(links: PeerLinks): void; upgrades(): number }> {
  let links: PeerLinks | null = null;
  let upgrades = 0;
  const listener = new NodeListener({
    certificate: certificates[self],
    allowPlainHttp: false,
    requests: (_req, res) => res.writeHead(404).end(),
    upgrades: (req, socket, head) => {
      upgrades++;
      if (!links?.handleUpgrade(req, socket, head)) socket.destroy();
    },
  });
  await listener.listen(0, '127.0.0.1');
  cleanups.push(() => listener.close());
  return { url: `https://127.0.0.1:${listener.address().port}/`, attach: (l) => (links = l), upgrades: () => upgrades };
}

function startLinks(self: 'pc-a' | 'pc-b', peer: 'pc-a' | 'pc-b', url: string, pin: string): PeerLinks {
  const links = new PeerLinks({ cluster: 'tls', secret: SECRET, self, peers: new Map([[peer, url]]), fingerprints: new Map([[peer, pin]]) });
  cleanups.push(() => links.close());
  return links;
}

async function waitFor(what: string, condition: () => boolean): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}\nlog:\n${logLines.join('')}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const ack = (seq: number): PeerEnvelope => ({ project: 'demo', from: 'pc-a', epoch: 1, message: { type: 'ack', seq } });

describe('the peer link over TLS, pinned to the certificates exchanged at pairing', () => {
  it('comes up with the right certificate and carries envelopes', async () => {
    const [nodeA, nodeB] = [await startNode('pc-a'), await startNode('pc-b')];
    const b = startLinks('pc-b', 'pc-a', nodeA.url, certificates['pc-a'].fingerprint);
    nodeB.attach(b);
    const a = startLinks('pc-a', 'pc-b', nodeB.url, certificates['pc-b'].fingerprint);
    nodeA.attach(a);
    const received: PeerEnvelope[] = [];
    b.onEnvelope((_from, envelope) => received.push(envelope));
    await waitFor('the link is up on both sides', () => a.linkState('pc-b') === 'up' && b.linkState('pc-a') === 'up');
    expect(a.send('pc-b', ack(1))).toBe(true);
    await waitFor('the envelope arrived', () => received.length === 1);
    expect(received[0]).toEqual(ack(1));
    expect([a.linkProblem('pc-b'), b.linkProblem('pc-a')]).toEqual([null, null]);
  });

  it('stays down when the peer shows another certificate, says why in the log, and the peer sees no request', async () => {
    const [nodeA, nodeB] = [await startNode('pc-a'), await startNode('pc-b')];
    const b = startLinks('pc-b', 'pc-a', nodeA.url, certificates['pc-a'].fingerprint);
    nodeB.attach(b);
    // pc-a expects the certificate of another PC at pc-b's address (a replaced PC, or an impostor).
    const a = startLinks('pc-a', 'pc-b', nodeB.url, certificates['pc-a'].fingerprint);
    nodeA.attach(a);
    await waitFor('the refusal is logged', () => logLines.some((line) => line.includes("is not pc-b's: pinned at pairing")));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(a.linkState('pc-b')).toBe('down');
    expect(b.linkState('pc-a')).toBe('down');
    expect(nodeB.upgrades()).toBe(0);
    expect(logLines.join('')).toMatch(/If that PC was replaced or its certificate made anew, pair it again/);
    // The reason is there for the status too, on the side that dials; the other side saw nothing.
    expect(a.linkProblem('pc-b')).toMatch(/the TLS certificate at 127\.0\.0\.1:\d+ is not pc-b's/);
    expect(b.linkProblem('pc-a')).toBeNull();
  });
});
