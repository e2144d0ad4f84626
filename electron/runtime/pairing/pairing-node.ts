import type { ClusterFile } from '../../../shared/cluster/cluster-schema.js';
import type { CurrentPair } from '../../../shared/protocol/pairing.js';
import type { Clock } from '../clock.js';
import { HttpError } from '../api/http-error.js';
import { log } from '../log.js';
import type { NodeProjects } from '../node-projects.js';
import { clusterSetup, withoutPairs, type RuntimeProject } from '../node-setup.js';
import type { NodeIdentity } from './node-http.js';
import { moveStoreAside, removePairing, writePairing } from './pairing-files.js';

export interface PairingNodeOptions {
  node: string;
  version: string;
  dataDir: string;
  clock: Clock;
  projects: NodeProjects;
  /** SHA-256 of this node's TLS certificate (hex): what its peer pins. */
  fingerprint: string;
  /** Where the HTTP server listens: `host` null when on every address. */
  listening: () => { host: string | null; port: number };
  /** After the setup changed: stations reconnect and learn the pair's nodes. */
  setupChanged: () => void;
}

/**
 * What pairing needs of the running node: who it is, what it runs, and applying a cluster
 * document (or leaving one) live, persisted first so the next start does the same.
 */
export class PairingNode {
  constructor(readonly options: PairingNodeOptions) {}

  get name(): string {
    return this.options.node;
  }

  get clock(): Clock {
    return this.options.clock;
  }

  project(id: string): RuntimeProject {
    const project = this.options.projects.setup.projects.find((candidate) => candidate.project.id === id);
    if (!project) throw new HttpError(404, 'notFound', `node ${this.name} runs no project "${id}"; pick one of: ${this.projectIds().join(', ')}`);
    return project;
  }

  projectIds(): string[] {
    return this.options.projects.setup.projects.map((project) => project.project.id);
  }

  /** The pair this node is in, or null when it runs standalone. */
  pair(): (CurrentPair & { secret: string }) | null {
    const { cluster, projects } = this.options.projects.setup;
    if (!cluster) return null;
    return {
      cluster: cluster.name,
      secret: cluster.secret,
      projects: projects.flatMap(({ project, pair }) => {
        if (!pair?.peer) return [];
        const server = pair.preferred;
        return [{ id: project.id, server, standby: server === pair.self ? pair.peer : pair.self }];
      }),
      peers: [...cluster.peers].map(([node, url]) => ({ node, url })),
    };
  }

  /** A refusal when this node is in a cluster already, naming it and what to do. */
  refuseIfPaired(what: string): void {
    const pair = this.pair();
    if (!pair) return;
    const peers = pair.peers.map((peer) => peer.node).join(', ');
    throw new HttpError(409, 'alreadyPaired', `${this.name} is already in cluster ${pair.cluster} (paired with ${peers}); ${what}`);
  }

  /**
   * This node's URL as a peer reaches it: the address it listens on, else the one a connection to
   * the peer came from. Always https://: peers and stations of other PCs speak TLS with a node.
   */
  ownUrl(localAddress: string | null): string {
    const { host, port } = this.options.listening();
    const address = host ?? (localAddress ?? '127.0.0.1').replace(/^::ffff:/, '');
    return `https://${address.includes(':') ? `[${address}]` : address}:${port}/`;
  }

  /** How a call to a peer of the current pair checks who answers: its pinned certificate. */
  identityOf(node: string): NodeIdentity {
    return { node, pin: this.options.projects.setup.cluster?.fingerprints.get(node) ?? null };
  }

  /**
   * Persists the document and runs this node's part of it in place of what runs now. As the
   * Standby (`freshStore`) the project's database is set aside first: it takes the Server's log.
   * On failure the previous setup runs again and the previous document is back.
   */
  applyCluster(document: ClusterFile, projectText: string | null, freshStore: string | null, reason: string): void {
    const { dataDir, projects, clock } = this.options;
    const { cluster, undo } = writePairing(dataDir, document, projectText);
    try {
      const next = clusterSetup(cluster, this.name);
      projects.replace(next, reason, () => {
        if (freshStore === null) return;
        const backup = moveStoreAside(dataDir, freshStore, clock.now());
        if (backup) log('info', `project ${freshStore}: this node's own data is kept in ${backup}; it now takes the Server's`);
      });
    } catch (error) {
      undo();
      throw error;
    }
    log('info', `${reason}: cluster ${document.cluster} applied without a restart`);
    this.options.setupChanged();
  }

  /** Leaves the cluster: the same projects run standalone again, with their data. */
  leaveCluster(reason: string): void {
    const { dataDir, projects } = this.options;
    removePairing(dataDir);
    projects.replace(withoutPairs(projects.setup), reason);
    log('info', `${reason}: running standalone`);
    this.options.setupChanged();
  }
}
