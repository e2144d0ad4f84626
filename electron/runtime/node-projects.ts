import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Clock } from './clock.js';
import { ProjectHost } from './host/project-host.js';
import { log } from './log.js';
import type { NodeSetup } from './node-setup.js';
import { PeerLinks } from './peer/peer-links.js';

export interface NodeProjectsOptions {
  node: string;
  dataDir: string;
  bootId: string;
  clock: Clock;
  /** SHA-256 of this node's TLS certificate (hex), shown in the status. */
  fingerprint: string;
  /** The local address to dial peers from, when the node listens on one address. */
  localAddress?: string;
  /** Runs beside each project host while it runs (the first administrator's creation); returns its stop. */
  onHostStarted?: (host: ProjectHost) => () => void;
}

/**
 * The projects a node runs and the peer links of their pairs, as one setup that can be replaced
 * while the process runs: pairing and unpairing stop every project host and the links, and start
 * them again in the new setup (same stores, so the data stays). `hosts` is the one map the API and
 * the client gateway read, updated in place.
 */
export class NodeProjects {
  readonly hosts = new Map<string, ProjectHost>();
  private links: PeerLinks | null = null;
  private readonly companions: Array<() => void> = [];
  private current: NodeSetup | null = null;

  constructor(private readonly options: NodeProjectsOptions) {}

  get setup(): NodeSetup {
    return this.current!;
  }

  /** Starts a setup; on failure nothing of it keeps running and the error is thrown. */
  start(setup: NodeSetup): void {
    const { node, dataDir, bootId, clock } = this.options;
    const cluster = setup.cluster;
    const links = cluster
      ? new PeerLinks({ cluster: cluster.name, secret: cluster.secret, self: node, peers: cluster.peers, fingerprints: cluster.fingerprints, clock, silenceMs: cluster.failureTimeoutMs, localAddress: this.options.localAddress })
      : null;
    const urls = new Map([...(cluster?.peers ?? []), [node, cluster?.selfUrl ?? '']]);
    const fingerprints = new Map([...(cluster?.fingerprints ?? []), [node, this.options.fingerprint]]);
    try {
      for (const { project, pair } of setup.projects) {
        const peerNode = pair?.peer ?? null;
        const send = (envelope: Parameters<PeerLinks['send']>[1]) => links!.send(peerNode!, envelope);
        const peer = links && peerNode ? { send, sendText: send } : undefined;
        const host = ProjectHost.start({ project, dataDir, node, bootId, clock, pair: pair && peer ? { config: pair, peer, urls, linkProblem: () => links!.linkProblem(peerNode!) } : undefined, fingerprints });
        this.hosts.set(project.id, host);
        if (this.options.onHostStarted) this.companions.push(this.options.onHostStarted(host));
      }
    } catch (error) {
      this.stopHosts('start-up failed');
      links?.close();
      throw error;
    }
    links?.onEnvelope((from, envelope) => {
      const host = this.hosts.get(envelope.project);
      if (host && host.peerNode() === from) host.peerEnvelope(envelope);
    });
    links?.onLinkChange((peerNode, up) => {
      for (const host of this.hosts.values()) if (host.peerNode() === peerNode) host.peerLink(up);
    });
    this.links = links;
    this.current = setup;
  }

  /**
   * Stops the running setup and starts `next`. When `next` cannot start, the previous setup is
   * started again and the error thrown, so the node is never left running nothing.
   * `between` runs while nothing runs (the stores are closed): moving a database aside goes there.
   */
  replace(next: NodeSetup, reason: string, between: () => void = () => undefined): void {
    const previous = this.current!;
    this.stop(reason);
    try {
      between();
      this.start(next);
    } catch (error) {
      log('warn', `could not start the new setup (${(error as Error).message}); running the previous one again`);
      this.start(previous);
      throw error;
    }
  }

  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean {
    return this.links?.handleUpgrade(req, socket, head) ?? false;
  }

  /** The URLs of the nodes this one shares projects with. */
  peerUrls(): string[] {
    return [...(this.current?.cluster?.peers.values() ?? [])];
  }

  stop(reason: string): void {
    this.closeLinks();
    this.stopHosts(reason);
  }

  closeLinks(): void {
    this.links?.close();
    this.links = null;
  }

  private stopHosts(reason: string): void {
    for (const stop of this.companions.splice(0)) stop();
    for (const host of this.hosts.values()) host.stop(reason);
    this.hosts.clear();
  }
}
