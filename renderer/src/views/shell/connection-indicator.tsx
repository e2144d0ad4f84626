import { useEffect, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useConnection, type ConnectionState } from '../../stores/connection-store.js';
import { formatDuration } from '../common/format.js';

const selectIndicator = (s: ConnectionState) => ({ state: s.state, since: s.since, node: s.node, problem: s.problem });

export function connectionText(state: ConnectionState['state'], node: string | null, lostForMs: number): string {
  switch (state) {
    case 'connected':
      return `Connected to ${node ?? 'server'}`;
    case 'connecting':
      return 'Connecting…';
    case 'lost':
      return `Connection lost ${formatDuration(lostForMs)} ago — reconnecting`;
  }
}

export function ConnectionIndicator() {
  const c = useConnection(useShallow(selectIndicator));
  const now = useClock(c.state !== 'connected');
  return (
    <span className={`conn conn-${c.state}`} data-testid="connection-state" role="status" title={c.problem ?? undefined}>
      <span className="conn-dot" aria-hidden="true" />
      {connectionText(c.state, c.node, now - c.since)}
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
