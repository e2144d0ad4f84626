import type { StationLink } from '../overview/node-rows.js';
import type { LinkState, NodeDuty, Topology } from './topology-model.js';

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface PlacedNode {
  id: string;
  duty: NodeDuty;
  servesStation: boolean;
  degraded: boolean;
  x: number;
  y: number;
}

export interface PlacedLine {
  id: string;
  x1: number;
  y1: number;
  x2: number;
  y2: number;
}

export interface PlacedPeerLink extends PlacedLine {
  state: LinkState;
  /** The middle of the line, where a cut is drawn. */
  midX: number;
  midY: number;
}

export interface PlacedStationLink extends PlacedLine {
  link: StationLink;
  servesStation: boolean;
}

export interface TopologyLayout {
  nodes: PlacedNode[];
  peerLinks: PlacedPeerLink[];
  station: { x: number; y: number };
  stationLinks: PlacedStationLink[];
}

/** The nodes' ring takes the top of the box, the station sits below its middle. */
const RING_SHARE = 0.55;

/**
 * Nodes evenly on a ring in the upper part of `box` (one in the middle, two side by side, more on an
 * ellipse starting at the left), the station centred below; several projects are several boxes.
 */
export function layoutTopology(topology: Topology, box: Box): TopologyLayout {
  const cx = box.x + box.width / 2;
  const ringCy = box.y + (box.height * RING_SHARE) / 2;
  const rx = box.width * 0.32;
  const ry = (box.height * RING_SHARE) / 2 - 10;
  const n = topology.nodes.length;
  const nodes = topology.nodes.map((node, i) => {
    const angle = Math.PI + (2 * Math.PI * i) / Math.max(n, 1);
    const [x, y] = n === 1 ? [cx, ringCy] : [cx + rx * Math.cos(angle), n === 2 ? ringCy : ringCy + ry * Math.sin(angle)];
    return { id: node.id, duty: node.duty, servesStation: node.servesStation, degraded: node.degraded, x: round(x), y: round(y) };
  });
  const at = new Map(nodes.map((node) => [node.id, node]));
  const peerLinks = topology.links.flatMap((link) => {
    const [a, b] = [at.get(link.a), at.get(link.b)];
    if (!a || !b) return [];
    return [{ id: `${link.a}-${link.b}`, state: link.state, x1: a.x, y1: a.y, x2: b.x, y2: b.y, midX: round((a.x + b.x) / 2), midY: round((a.y + b.y) / 2) }];
  });
  const station = { x: round(cx), y: round(box.y + box.height * 0.85) };
  const stationLinks = topology.nodes.map((node) => {
    const placed = at.get(node.id)!;
    return { id: node.id, link: node.stationLink, servesStation: node.servesStation, x1: station.x, y1: station.y, x2: placed.x, y2: placed.y };
  });
  return { nodes, peerLinks, station, stationLinks };
}

const round = (v: number) => Math.round(v * 10) / 10;
