import { useEffect, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { Role } from '../../../../shared/protocol/entities.js';
import { useConnection, type ConnectionState } from '../../stores/connection-store.js';
import { useProject } from '../../stores/project-store.js';
import { useRedundancy } from '../../stores/redundancy-store.js';
import { formatDuration } from '../common/format.js';
import { ROLE_LABEL } from './role-label.js';

const selectIndicator = (s: ConnectionState) => ({ state: s.state, since: s.since, node: s.node, problem: s.problem });

export interface LinkView {
  state: ConnectionState['state'];
  /** The node of the data connection (or the one being connected to). */
  node: string | null;
  /** Whether that node serves this station; if not, its role. */
  serving: boolean;
  role: Role | null;
}

export function connectionText(link: LinkView, lostForMs: number): string {
  switch (link.state) {
    case 'connected':
      if (link.serving || link.role === null) return `Connected to ${link.node ?? 'server'}`;
      return `Connected to ${link.node ?? 'server'} (${ROLE_LABEL[link.role]}) — waiting for a Server`;
    case 'connecting':
      return link.node ? `Connecting to ${link.node}…` : 'Connecting…';
    case 'lost':
      return `Connection lost ${formatDuration(lostForMs)} ago — reconnecting`;
  }
}

export function ConnectionIndicator() {
  const c = useConnection(useShallow(selectIndicator));
  const dataNode = useRedundancy((s) => s.dataNode);
  const serving = useRedundancy((s) => s.serving);
  const role = useProject((s) => s.role);
  const now = useClock(c.state !== 'connected');
  const waiting = c.state === 'connected' && !serving && role !== null;
  return (
    <span className={`conn conn-${waiting ? 'waiting' : c.state}`} data-testid="connection-state" role="status" title={c.problem ?? undefined}>
      <span className="conn-dot" aria-hidden="true" />
      {connectionText({ state: c.state, node: c.state === 'connected' ? c.node : dataNode, serving, role }, now - c.since)}
      {c.problem ? <span className="conn-problem"> · {c.problem}</span> : null}
    </span>
  );
}

/** Ticks once a second while `running`, for "lost 3 s ago"; idle otherwise. */
function useClock(running: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!running) return;
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), 1_000);
    return () => clearInterval(timer);
  }, [running]);
  return now;
}
