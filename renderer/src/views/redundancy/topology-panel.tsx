import { useMemo } from 'react';
import type { NodeRow } from '../overview/node-rows.js';
import { buildTopology } from './topology-model.js';
import { TopologyView } from './topology-view.js';

/** The picture with the one-line key to its lines. */
export function TopologyPanel({ project, rows, servingNode }: { project: string; rows: readonly NodeRow[]; servingNode: string | null }) {
  const topology = useMemo(() => buildTopology(project, rows, servingNode), [project, rows, servingNode]);
  return (
    <div className="panel topology-panel">
      <h2>Topology</h2>
      <TopologyView topology={topology} />
      <p className="muted small">Thick line: the node serving this station · thin: control link · magenta dashed: no answer · ✕ on the peer link: cut</p>
    </div>
  );
}
