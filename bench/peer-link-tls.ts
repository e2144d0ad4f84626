/**
 * The peer link over TLS (pinned certificates, as after pairing) against the same link in plain
 * WebSocket, in the same run and process: two nodes' `PeerLinks` behind their `NodeListener`s on
 * loopback, each variant in turn.
 *
 * - connect: from creating the dialler's links to both sides reporting the link up (TCP, TLS
 *   handshake, HTTP upgrade, the HMAC handshake), 20 times;
 * - round trip: a small envelope to the peer and its answer back, one at a time, 2,000 times;
 * - throughput: 4,000 replication batches of 250 samples (about 16 KiB of JSON each), sent as fast
 *   as the link takes them, until the last one arrived.
 *
 * Both ends run in this one process, so every figure includes both sides' CPU; the ratios are
 * what matters. Flags: --rounds N (connects, default 20).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import type { PeerEnvelope } from '../shared/protocol/peer.js';
import { PeerLinks } from '../electron/runtime/peer/peer-links.js';
import { loadOrCreateNodeCertificate, type NodeCertificate } from '../electron/runtime/tls/node-certificate.js';
import { NodeListener } from '../electron/runtime/tls/node-listener.js';
import { median, percentile, writeResults } from './results-file.js';

const { values: flags } = parseArgs({ options: { rounds: { type: 'string', default: '20' } } });
const CONNECTS = Number(flags.rounds);
const ROUND_TRIPS = 2_000;
const BULK_ENVELOPES = 4_000;
const SECRET = 'bench secret, long enough to count';

/** One replication batch: a driver's 250 samples, about 16 KiB of JSON. */
const bulk: PeerEnvelope = {
  project: 'bench',
  from: 'pc-a',
  epoch: 1,
  message: {
    type: 'append',
    prevSeq: 0,
    ops: [{ id: 'samples-1', kind: 'samples', t: 1_700_000_000_000, driver: 'Load', through: 1_700_000_000_000, epoch: 1, seq: 1, samples: Array.from({ length: 250 }, (_, i) => ({ tag: `Load.Tag${i}`, t: 1_700_000_000_000, v: i * 1.5 + 0.25, q: 'good' as const })) }],
  },
};
const BULK_BYTES = Buffer.byteLength(JSON.stringify(bulk));

type Variant = 'plain' | 'tls';
type NodeName = 'pc-a' | 'pc-b';

interface BenchNode {
  url: string;
  links: PeerLinks | null;
  listener: NodeListener;
}

async function startNode(certificate: NodeCertificate, scheme: 'http' | 'https'): Promise<BenchNode> {
  const node: BenchNode = { url: '', links: null, listener: null as unknown as NodeListener };
  node.listener = new NodeListener({
    certificate,
    allowPlainHttp: false,
    requests: (_req, res) => res.writeHead(404).end(),
    upgrades: (req, socket, head) => {
      if (!node.links?.handleUpgrade(req, socket, head)) socket.destroy();
    },
  });
  await node.listener.listen(0, '127.0.0.1');
  node.url = `${scheme}://127.0.0.1:${node.listener.address().port}/`;
  return node;
}

function links(self: NodeName, peer: NodeName, url: string, pin: string | null): PeerLinks {
  return new PeerLinks({ cluster: 'bench', secret: SECRET, self, peers: new Map([[peer, url]]), fingerprints: pin ? new Map([[peer, pin]]) : new Map() });
}

function waitUntil(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const check = () => {
      if (condition()) resolve();
      else if (performance.now() > deadline) reject(new Error(`timed out waiting for ${what}`));
      else setImmediate(check);
    };
    check();
  });
}

async function measure(variant: Variant, certificates: Record<NodeName, NodeCertificate>) {
  const scheme = variant === 'tls' ? 'https' : 'http';
  const a = await startNode(certificates['pc-a'], scheme);
  const b = await startNode(certificates['pc-b'], scheme);
  const pin = (node: NodeName) => (variant === 'tls' ? certificates[node].fingerprint : null);
  b.links = links('pc-b', 'pc-a', a.url, pin('pc-a'));
  try {
    const connectMs: number[] = [];
    for (let round = 0; round < CONNECTS; round++) {
      const started = performance.now();
      a.links = links('pc-a', 'pc-b', b.url, pin('pc-b'));
      await waitUntil(() => a.links!.linkState('pc-b') === 'up' && b.links!.linkState('pc-a') === 'up', 'the link');
      connectMs.push(performance.now() - started);
      if (round < CONNECTS - 1) {
        a.links.close();
        await waitUntil(() => b.links!.linkState('pc-a') === 'down', 'the link to go down');
      }
    }

    // Round trips: pc-b answers every ack with an ack of the same number.
    let answered = -1;
    b.links.onEnvelope((_from, envelope) => {
      if (envelope.message.type === 'ack') b.links!.send('pc-a', { project: 'bench', from: 'pc-b', epoch: 1, message: { type: 'ack', seq: envelope.message.seq } });
    });
    a.links!.onEnvelope((_from, envelope) => {
      if (envelope.message.type === 'ack') answered = envelope.message.seq;
    });
    const roundTripMs: number[] = [];
    for (let seq = 0; seq < ROUND_TRIPS; seq++) {
      const sent = performance.now();
      a.links!.send('pc-b', { project: 'bench', from: 'pc-a', epoch: 1, message: { type: 'ack', seq } });
      await waitUntil(() => answered === seq, 'the answer');
      roundTripMs.push(performance.now() - sent);
    }

    // Throughput: replication batches of samples, each parsed on arrival as the engine's are.
    let received = 0;
    b.links.onEnvelope((_from, envelope) => {
      if (envelope.message.type === 'append') received++;
    });
    const before = received;
    const started = performance.now();
    for (let i = 0; i < BULK_ENVELOPES; i++) {
      a.links!.send('pc-b', bulk);
      // The link closes itself beyond 64 MiB unsent: keep a bounded backlog, as the engine's window does.
      if (i % 256 === 255) await waitUntil(() => received - before >= i - 1024, 'the backlog to shrink', 60_000);
    }
    await waitUntil(() => received - before === BULK_ENVELOPES, 'every bulk envelope', 120_000);
    const seconds = (performance.now() - started) / 1000;
    return {
      connectMsP50: round2(median(connectMs)),
      connectMsP99: round2(percentile(connectMs, 99)),
      roundTripMsP50: round2(median(roundTripMs)),
      roundTripMsP99: round2(percentile(roundTripMs, 99)),
      throughputMiBps: round2((BULK_ENVELOPES * BULK_BYTES) / seconds / 1024 / 1024),
      envelopesPerSecond: Math.round(BULK_ENVELOPES / seconds),
    };
  } finally {
    a.links?.close();
    b.links.close();
    await Promise.all([a.listener.close(), b.listener.close()]);
  }
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}

const dir = mkdtempSync(join(tmpdir(), 'tandem-bench-tls-'));
try {
  const certificates = { 'pc-a': await loadOrCreateNodeCertificate(join(dir, 'pc-a'), 'pc-a'), 'pc-b': await loadOrCreateNodeCertificate(join(dir, 'pc-b'), 'pc-b') };
  // Plain first, TLS second, then plain again: a warm-up or drift would show as a difference between the two plain runs.
  const plain = await measure('plain', certificates);
  const tls = await measure('tls', certificates);
  const plainAgain = await measure('plain', certificates);
  writeResults('peer-link-tls', {
    plain,
    tls,
    plainAgain,
    ratios: {
      connectP50: round2(tls.connectMsP50 / plain.connectMsP50),
      roundTripP50: round2(tls.roundTripMsP50 / plain.roundTripMsP50),
      throughput: round2(tls.throughputMiBps / plain.throughputMiBps),
    },
  });
} finally {
  rmSync(dir, { recursive: true, force: true });
}
