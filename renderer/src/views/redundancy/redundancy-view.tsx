import { useMemo } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useConnection } from '../../stores/connection-store.js';
import { useProject } from '../../stores/project-store.js';
import { useRedundancy, type RedundancyState } from '../../stores/redundancy-store.js';
import { nodeRows, type NodeRow } from '../overview/node-rows.js';
import { useDashboard, type DashboardState } from './dashboard-store.js';
import { useDashboardPoll } from './dashboard-poll.js';
import { FailoverDrill } from './failover-drill.js';
import { NodeCard } from './node-card.js';
import { SwitchoverHistory } from './switchover-history.js';
import { TopologyPanel } from './topology-panel.js';

const selectStation = (s: RedundancyState) => ({
  addresses: s.addresses,
  dataNode: s.dataNode,
  dataStatus: s.dataStatus,
  controls: s.controls,
  peerStatuses: s.peerStatuses,
  servingNode: s.serving ? (s.servedBy?.node ?? null) : null,
});

const selectPolled = (s: DashboardState) => ({ readings: s.nodes, nowMs: s.polledAtMs ?? 0 });

/**
 * The pair at a glance: the topology, each node's health as it polls it twice a second, the
 * switchover history from the log and a failover drill.
 */
export function RedundancyView() {
  useDashboardPoll();
  const station = useRedundancy(useShallow(selectStation));
  const { readings, nowMs } = useDashboard(useShallow(selectPolled));
  const connected = useConnection((c) => c.state === 'connected');
  const projectId = useProject((s) => s.projectId);
  // The dashboard's own polls are fresher than the station's, so each node's row shows them.
  const rows: NodeRow[] = useMemo(
    () => nodeRows(station, connected).map((row) => ({ ...row, status: readings.get(row.node)?.status ?? row.status })),
    [station, connected, readings],
  );
  // A node's certificate as any node reports it: its peer knows it (pinned) even when this station cannot reach it.
  const fingerprints = useMemo(() => fingerprintsOf(rows), [rows]);
  return (
    <section className="view dashboard" aria-label="Redundancy dashboard">
      <TopologyPanel project={projectId ?? '—'} rows={rows} servingNode={station.servingNode} />
      <div className="node-cards">
        {rows.map((row) => (
          <NodeCard
            key={row.node}
            node={row.node}
            address={station.addresses.get(row.node) ?? null}
            fingerprint={fingerprints.get(row.node) ?? null}
            reading={readings.get(row.node) ?? null}
            stationLink={row.link}
            servesStation={row.node === station.servingNode}
            nowMs={nowMs}
          />
        ))}
      </div>
      <FailoverDrill />
      <SwitchoverHistory />
    </section>
  );
}

function fingerprintsOf(rows: readonly NodeRow[]): Map<string, string> {
  const found = new Map<string, string>();
  for (const { status } of rows) for (const { node, fingerprint } of status?.nodes ?? []) if (fingerprint !== null) found.set(node, fingerprint);
  return found;
}
