import type { ProjectStatus } from '../../../../shared/protocol/api.js';
import type { RedundancyState } from '../../stores/redundancy-store.js';

/** How this station reaches a node. */
export type StationLink = 'data' | 'control' | 'connecting' | 'down';

export interface NodeRow {
  node: string;
  link: StationLink;
  /** Null while the node has not answered (or no longer does). */
  status: ProjectStatus | null;
}

export const STATION_LINK_LABEL: Record<StationLink, string> = {
  data: 'data',
  control: 'control',
  connecting: 'connecting…',
  down: 'no answer',
};

/** One row per node of the project (the data node alone until a status lists them), in the pair's order. */
export function nodeRows(s: Pick<RedundancyState, 'addresses' | 'dataNode' | 'dataStatus' | 'controls' | 'peerStatuses'>, dataConnected: boolean): NodeRow[] {
  const nodes = s.addresses.size > 0 ? [...s.addresses.keys()] : s.dataNode !== null ? [s.dataNode] : [];
  return nodes.map((node) => {
    if (node === s.dataNode) return { node, link: dataConnected ? 'data' : 'down', status: dataConnected ? s.dataStatus : null };
    const control = s.controls.get(node);
    const link: StationLink = control === 'up' ? 'control' : control === 'down' ? 'down' : 'connecting';
    return { node, link, status: s.peerStatuses.get(node) ?? null };
  });
}
