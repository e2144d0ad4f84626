import type { DiscoveryResponse, PairingStatus } from '../../../shared/protocol/pairing.js';
import { HttpError } from '../api/http-error.js';
import { discoverNodes, DiscoveryResponder } from './discovery.js';
import { PairingNode, type PairingNodeOptions } from './pairing-node.js';
import { ServerSide } from './server-side.js';
import { StandbySide } from './standby-side.js';
import { unpair } from './unpairing.js';

/** How long a pairing code is valid unless TANDEM_PAIRING_CODE_TTL_MS says otherwise. */
export const DEFAULT_CODE_TTL_MS = 180_000;

export interface PairingServiceOptions extends PairingNodeOptions {
  /** UDP port to answer discovery on and to search on; 0 neither answers nor finds. */
  discoveryPort: number;
  /** Tells this node's own discovery answer apart from others'. */
  instance: string;
  codeTtlMs: number;
}

/** Pairing on one node: discovery, both sides of the protocol, unpairing. The API routes call it. */
export class PairingService {
  readonly node: PairingNode;
  readonly server: ServerSide;
  readonly standby: StandbySide;
  private readonly responder: DiscoveryResponder | null;

  constructor(private readonly options: PairingServiceOptions) {
    this.node = new PairingNode(options);
    this.server = new ServerSide(this.node, options.codeTtlMs);
    this.standby = new StandbySide(this.node, options.codeTtlMs);
    this.responder = DiscoveryResponder.start(
      options.discoveryPort,
      () => {
        const { host, port } = options.listening();
        return { instance: options.instance, node: options.node, version: options.version, host, port, cluster: this.node.pair()?.cluster ?? null, projects: this.node.projectIds() };
      },
      options.clock,
    );
  }

  status(): PairingStatus {
    const pair = this.node.pair();
    return {
      node: this.node.name,
      projects: this.options.projects.setup.projects.map(({ project }) => ({ id: project.id, name: project.name })),
      pair: pair ? { cluster: pair.cluster, projects: pair.projects, peers: pair.peers } : null,
      outgoing: this.server.view(),
      incoming: this.standby.views(),
    };
  }

  async discover(): Promise<DiscoveryResponse> {
    if (this.options.discoveryPort === 0) throw new HttpError(409, 'discoveryOff', 'discovery is off on this node (--discovery-port 0); type the other PC\'s address instead');
    return { nodes: await discoverNodes(this.options.discoveryPort, this.options.instance) };
  }

  /** Cancels this node's own attempt, or declines a request from another node. */
  async cancel(id: string): Promise<void> {
    if (await this.server.cancel(id)) return;
    if (await this.standby.decline(id)) return;
    throw new HttpError(404, 'notFound', `there is no pairing attempt or request ${id} on ${this.node.name}`);
  }

  unpair() {
    return unpair(this.node);
  }

  close(): void {
    this.responder?.close();
  }
}
