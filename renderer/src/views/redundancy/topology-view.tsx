import type { NodeDuty, Topology } from './topology-model.js';
import { layoutTopology, type PlacedNode, type PlacedPeerLink, type PlacedStationLink } from './topology-layout.js';

const WIDTH = 560;
const HEIGHT = 250;
const NODE_W = 132;
const NODE_H = 52;
const CUT = 9;

const DUTY_LABEL: Record<NodeDuty, string> = {
  server: 'Server',
  standby: 'Standby',
  aligning: 'Aligning',
  standalone: 'Standalone',
  outOfService: 'Out of service',
  unknown: 'No answer',
};

/** The project's nodes, their peer link and this station, drawn so that a cut or a lost node stands out. */
export function TopologyView({ topology }: { topology: Topology }) {
  const layout = layoutTopology(topology, { x: 0, y: 0, width: WIDTH, height: HEIGHT });
  return (
    <svg className="topology" viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label={`Topology of project ${topology.project}`} data-testid="topology">
      {layout.stationLinks.map((link) => (
        <StationLine key={link.id} link={link} />
      ))}
      {layout.peerLinks.map((link) => (
        <PeerLine key={link.id} link={link} />
      ))}
      {layout.nodes.map((node) => (
        <NodeBox key={node.id} node={node} />
      ))}
      <g className="topo-station" transform={`translate(${layout.station.x},${layout.station.y})`}>
        <rect x={-70} y={-16} width={140} height={32} />
        <text y={5} textAnchor="middle">
          This station
        </text>
      </g>
    </svg>
  );
}

function NodeBox({ node }: { node: PlacedNode }) {
  return (
    <g className={`topo-node duty-${node.duty}`} transform={`translate(${node.x},${node.y})`} data-testid="topology-node" data-node={node.id} data-duty={node.duty}>
      <rect x={-NODE_W / 2} y={-NODE_H / 2} width={NODE_W} height={NODE_H} />
      <text y={-6} textAnchor="middle" className="topo-name">
        {node.id}
      </text>
      <text y={14} textAnchor="middle" className="topo-duty">
        {DUTY_LABEL[node.duty]}
      </text>
      {node.degraded ? (
        <text y={NODE_H / 2 + 16} textAnchor="middle" className="topo-fault">
          redundancy degraded
        </text>
      ) : null}
    </g>
  );
}

function PeerLine({ link }: { link: PlacedPeerLink }) {
  const label = link.state === 'up' ? 'peer link up' : link.state === 'down' ? 'peer link CUT' : 'peer link unknown';
  return (
    <g className={`topo-peer link-${link.state}`} data-testid="topology-peer-link" data-state={link.state}>
      <line x1={link.x1} y1={link.y1} x2={link.x2} y2={link.y2} />
      {link.state === 'down' ? (
        <path className="topo-cut" d={`M${link.midX - CUT},${link.midY - CUT}L${link.midX + CUT},${link.midY + CUT}M${link.midX + CUT},${link.midY - CUT}L${link.midX - CUT},${link.midY + CUT}`} />
      ) : null}
      <text x={link.midX} y={link.midY - 12} textAnchor="middle">
        {label}
      </text>
    </g>
  );
}

function StationLine({ link }: { link: PlacedStationLink }) {
  const kind = link.link === 'down' ? 'down' : link.servesStation ? 'serving' : link.link;
  return <line className={`topo-station-link station-${kind}`} x1={link.x1} y1={link.y1} x2={link.x2} y2={link.y2} data-testid="topology-station-link" data-node={link.id} data-kind={kind} />;
}
