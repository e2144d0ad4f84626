import { useMemo } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useConnection } from '../../stores/connection-store.js';
import { useRedundancy, type RedundancyState } from '../../stores/redundancy-store.js';
import type { Switchover } from '../../stores/switchovers.js';
import { driverSummary, driversUnhealthy } from '../common/driver-summary.js';
import { formatDateTime } from '../common/format.js';
import { ROLE_LABEL } from '../shell/role-label.js';
import { nodeRows, STATION_LINK_LABEL, type NodeRow } from './node-rows.js';
import { PowerCutControl } from './power-cut-control.js';
import { RoleCommands } from './role-commands.js';

const selectNodes = (s: RedundancyState) => ({
  addresses: s.addresses,
  dataNode: s.dataNode,
  dataStatus: s.dataStatus,
  controls: s.controls,
  peerStatuses: s.peerStatuses,
  servedBy: s.servedBy,
  serving: s.serving,
});

/** The nodes of the project as each reports itself, and every switchover this station made. */
export function RedundancyPanel() {
  const s = useRedundancy(useShallow(selectNodes));
  const switchovers = useRedundancy((r) => r.switchovers);
  const connected = useConnection((c) => c.state === 'connected');
  const rows = useMemo(() => nodeRows(s, connected), [s, connected]);
  const servingNode = s.serving ? s.servedBy?.node : undefined;
  return (
    <div className="panel wide">
      <h2>Redundancy</h2>
      <p className="small">
        <a href="#/redundancy" data-testid="dashboard-link">
          Redundancy dashboard →
        </a>{' '}
        <span className="muted">topology, link history, alignment, resources, switchover history, failover drill</span>
      </p>
      <table className="grid-table" data-testid="node-table">
        <thead>
          <tr>
            <th>Node</th>
            <th>This station</th>
            <th>Role</th>
            <th>Peer link</th>
            <th className="right">Heartbeat round trip</th>
            <th className="right">Replication lag</th>
            <th>Alignment</th>
            <th>Drivers on the node</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <NodeTableRow key={row.node} row={row} serves={row.node === servingNode} />
          ))}
        </tbody>
      </table>
      <RoleCommands />
      <PowerCutControl />
      <h3 className="subhead">Switchovers seen by this station</h3>
      <SwitchoverTable switchovers={switchovers} />
    </div>
  );
}

function NodeTableRow({ row, serves }: { row: NodeRow; serves: boolean }) {
  const st = row.status;
  const peer = st?.peer ?? null;
  return (
    <tr data-testid="node-row" data-node={row.node}>
      <td>
        {row.node}
        {serves ? <span className="muted"> (serves this station)</span> : null}
      </td>
      <td className={row.link === 'down' ? 'comm-fault-cell' : ''}>{STATION_LINK_LABEL[row.link]}</td>
      <td>{st ? ROLE_LABEL[st.role] : '—'}</td>
      <td className={peer?.link === 'down' ? 'comm-fault-cell' : ''}>{peer ? `${peer.link} (to ${peer.node})` : '—'}</td>
      <td className="right num">{peer?.heartbeatRttMs != null ? `${Math.round(peer.heartbeatRttMs)} ms` : '—'}</td>
      <td className="right num">{st && peer ? `${st.replication.lagOps} ops · ${Math.round(st.replication.lagMs)} ms` : '—'}</td>
      <td>
        {st?.role === 'aligning' ? (
          <span className="alignment">
            <progress max={1} value={st.alignmentProgress} aria-label={`Alignment of ${row.node}`} />
            <span className="num">{Math.round(st.alignmentProgress * 100)} %</span>
          </span>
        ) : (
          '—'
        )}
      </td>
      <td className={st && driversUnhealthy(st.drivers) ? 'comm-fault-cell' : ''} data-testid="node-drivers">
        {st ? driverSummary(st.drivers) : '—'}
      </td>
    </tr>
  );
}

function SwitchoverTable({ switchovers }: { switchovers: readonly Switchover[] }) {
  if (switchovers.length === 0) return <p className="muted">None since this station started.</p>;
  return (
    <table className="grid-table">
      <thead>
        <tr>
          <th>Time</th>
          <th>From</th>
          <th>To</th>
          <th className="right">Epoch</th>
          <th>Reason</th>
        </tr>
      </thead>
      <tbody>
        {switchovers.map((s) => (
          <tr key={`${s.atMs}-${s.to}`} data-testid="switchover-row">
            <td className="num nowrap">{formatDateTime(s.atMs)}</td>
            <td>{s.from}</td>
            <td>{s.to}</td>
            <td className="right num">{s.epoch}</td>
            <td>{s.reason ?? '—'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
