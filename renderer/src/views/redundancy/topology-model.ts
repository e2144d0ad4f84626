import type { ProjectStatus } from '../../../../shared/protocol/api.js';
import type { StationLink } from '../overview/node-rows.js';

/** What a node is doing for the project, as the picture draws it. */
export type NodeDuty = 'server' | 'standby' | 'aligning' | 'standalone' | 'outOfService' | 'unknown';

export interface TopologyNode {
  id: string;
  duty: NodeDuty;
  /** True for the node this station takes its data from while it serves. */
  servesStation: boolean;
  /** How this station reaches the node. */
  stationLink: StationLink;
  degraded: boolean;
}

export type LinkState = 'up' | 'down' | 'unknown';

/** A peer link between two nodes; `a` sorts before `b`. */
export interface TopologyLink {
  a: string;
  b: string;
  state: LinkState;
}

/** One project (one ring of nodes) and the station looking at it: the data a layout draws. */
export interface Topology {
  project: string;
  nodes: TopologyNode[];
  links: TopologyLink[];
}

export interface NodeInput {
  node: string;
  link: StationLink;
  status: ProjectStatus | null;
}

function dutyOf(node: string, status: ProjectStatus | null, knownOutOfService: ReadonlySet<string>): NodeDuty {
  if (knownOutOfService.has(node)) return 'outOfService';
  return status ? status.role : 'unknown';
}

/**
 * The picture's data from what each node says of itself: a link is down when either end says so
 * (a cut seen from one side is a cut), unknown when no end answers.
 */
export function buildTopology(project: string, inputs: readonly NodeInput[], servingNode: string | null): Topology {
  const outOfService = new Set(inputs.flatMap((i) => i.status?.roles.outOfService ?? []));
  const nodes = inputs.map((i) => ({
    id: i.node,
    duty: dutyOf(i.node, i.status, outOfService),
    servesStation: i.node === servingNode,
    stationLink: i.link,
    degraded: i.status?.degraded ?? false,
  }));
  const links = new Map<string, TopologyLink>();
  for (const { node, status } of inputs) {
    const peer = status?.peer;
    if (!peer) continue;
    const [a, b] = [node, peer.node].sort() as [string, string];
    const key = `${a}\n${b}`;
    const held = links.get(key);
    const state: LinkState = held?.state === 'down' || peer.link === 'down' ? 'down' : 'up';
    links.set(key, { a, b, state });
  }
  // A pair is always linked: with neither end answering, the link is drawn as unknown, not left out.
  if (nodes.length === 2 && links.size === 0) {
    const [a, b] = [nodes[0]!.id, nodes[1]!.id].sort() as [string, string];
    links.set(`${a}\n${b}`, { a, b, state: 'unknown' });
  }
  return { project, nodes, links: [...links.values()] };
}
