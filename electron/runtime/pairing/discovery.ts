import { createSocket, type Socket } from 'node:dgram';
import { networkInterfaces } from 'node:os';
import { DiscoveryAnswer, DiscoveryQuery, PAIRING_PROTOCOL, type DiscoveredNode } from '../../../shared/protocol/pairing.js';
import type { Clock } from '../clock.js';
import { log } from '../log.js';
import { isLoopback, isLoopbackHost } from '../loopback.js';

/** The UDP port nodes answer discovery on unless `--discovery-port` says otherwise (0: do not answer). */
export const DEFAULT_DISCOVERY_PORT = 7480;
/** How long a search listens for answers. */
const SEARCH_MS = 700;
/** Answers per second at most: a node must not become an amplifier for spoofed queries. */
const ANSWERS_PER_SECOND_MAX = 20;
const DATAGRAM_BYTES_MAX = 2048;

/** What this node says about itself when asked. */
export type SelfDescription = () => Omit<DiscoveryAnswer, 'type' | 'protocol'>;

/** Answers discovery queries on the UDP port, so other nodes find this one on the local network. */
export class DiscoveryResponder {
  private readonly socket: Socket;
  private windowStartMs = 0;
  private answers = 0;

  private constructor(
    port: number,
    private readonly describe: SelfDescription,
    private readonly clock: Clock,
  ) {
    // reuseAddr: several nodes on one PC (tests, the demo) share the port; broadcasts reach each of them.
    this.socket = createSocket({ type: 'udp4', reuseAddr: true });
    this.socket.on('message', (data, from) => this.onQuery(data, from.address, from.port));
    this.socket.on('error', (error) => log('warn', `discovery: ${error.message}; other PCs cannot find this one by searching, type its address instead`));
    this.socket.bind(port);
  }

  static start(port: number, describe: SelfDescription, clock: Clock): DiscoveryResponder | null {
    return port === 0 ? null : new DiscoveryResponder(port, describe, clock);
  }

  close(): void {
    this.socket.close();
  }

  private onQuery(data: Buffer, address: string, port: number): void {
    if (data.length > DATAGRAM_BYTES_MAX || !DiscoveryQuery.safeParse(parseJson(data)).success) return;
    const nowMs = this.clock.now();
    if (nowMs - this.windowStartMs >= 1_000) {
      this.windowStartMs = nowMs;
      this.answers = 0;
    }
    if (++this.answers > ANSWERS_PER_SECOND_MAX) return;
    const answer: DiscoveryAnswer = { type: 'here', protocol: PAIRING_PROTOCOL, ...this.describe() };
    // A node that listens on this PC only cannot be paired from another PC: it does not answer them.
    if (answer.host !== null && isLoopbackHost(answer.host) && !isLoopback(address)) return;
    this.socket.send(JSON.stringify(answer), port, address);
  }
}

/**
 * Asks every node on the local network (broadcast to 255.255.255.255, each interface's broadcast
 * address and 127.255.255.255 for nodes on this PC) and collects the answers for a moment.
 * `instance` is this node's own: it answers too and is left out.
 */
export function discoverNodes(port: number, instance: string): Promise<DiscoveredNode[]> {
  return new Promise((resolve) => {
    const socket = createSocket('udp4');
    const found = new Map<string, DiscoveredNode & { loopback: boolean }>();
    socket.on('message', (data, from) => {
      const parsed = DiscoveryAnswer.safeParse(parseJson(data));
      if (!parsed.success || parsed.data.instance === instance) return;
      const answer = parsed.data;
      const host = answer.host ?? from.address;
      const loopback = isLoopbackHost(host);
      const known = found.get(answer.instance);
      // A node on this PC answers on every address; the network's address is the one other PCs can use too.
      if (known && (loopback || !known.loopback)) return;
      const url = `https://${host.includes(':') ? `[${host}]` : host}:${answer.port}/`;
      found.set(answer.instance, { node: answer.node, url, version: answer.version, cluster: answer.cluster, projects: answer.projects, loopback });
    });
    socket.on('error', (error) => log('warn', `discovery search: ${error.message}`));
    socket.bind(0, () => {
      socket.setBroadcast(true);
      const query = JSON.stringify({ type: 'discover', protocol: PAIRING_PROTOCOL, asker: instance });
      // A target the network cannot reach (no route for the global broadcast) is skipped: the others still go out.
      for (const target of broadcastTargets()) socket.send(query, port, target, () => undefined);
    });
    setTimeout(() => {
      socket.close();
      resolve([...found.values()].map(({ loopback: _loopback, ...node }) => node).sort((a, b) => a.node.localeCompare(b.node)));
    }, SEARCH_MS);
  });
}

function broadcastTargets(): string[] {
  const targets = new Set(['255.255.255.255', '127.255.255.255']);
  for (const addresses of Object.values(networkInterfaces())) {
    for (const address of addresses ?? []) {
      if (address.family !== 'IPv4' || address.internal) continue;
      const ip = address.address.split('.').map(Number);
      const mask = address.netmask.split('.').map(Number);
      targets.add(ip.map((part, i) => (part | (~mask[i]! & 255)) & 255).join('.'));
    }
  }
  return [...targets];
}

function parseJson(data: Buffer): unknown {
  try {
    return JSON.parse(data.toString('utf8'));
  } catch {
    return undefined;
  }
}
