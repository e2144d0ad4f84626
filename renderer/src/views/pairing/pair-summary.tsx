import { useState } from 'react';
import type { CurrentPair } from '../../../../shared/protocol/pairing.js';
import { unpairNode, usePairing } from './pairing-store.js';

/** The pair this PC is in, with the two ways out: unpair both, or replace the Standby (a swapped PC). */
export function PairSummary({ pair, node, onReplace }: { pair: CurrentPair; node: string; onReplace: () => void }) {
  const busy = usePairing((s) => s.busy);
  const [asking, setAsking] = useState(false);
  const peers = pair.peers.map((peer) => peer.node).join(', ');
  return (
    <div data-testid="pair-summary">
      <dl className="facts">
        <dt>Cluster</dt>
        <dd>{pair.cluster}</dd>
        {pair.projects.map((project) => (
          <PairFacts key={project.id} {...project} />
        ))}
      </dl>
      {asking ? (
        <div className="inline-panel pairing-actions" data-testid="unpair-question">
          <span>
            Unpair {node} and {peers}? Both run the project standalone again and keep their data; there is no Standby until you pair again.
          </span>
          <button type="button" data-testid="unpair-confirm" disabled={busy} onClick={() => void unpairNode().then(() => setAsking(false))}>
            Unpair
          </button>
          <button type="button" disabled={busy} onClick={() => setAsking(false)}>
            Cancel
          </button>
        </div>
      ) : (
        <div className="pairing-actions">
          <button type="button" data-testid="unpair" onClick={() => setAsking(true)}>
            Unpair…
          </button>
          <button type="button" data-testid="replace-standby" onClick={onReplace}>
            Replace Standby…
          </button>
        </div>
      )}
    </div>
  );
}

function PairFacts({ id, server, standby }: CurrentPair['projects'][number]) {
  return (
    <>
      <dt>Project {id}</dt>
      <dd data-testid="pair-roles">
        preferred Server {server}, Standby {standby}
      </dd>
    </>
  );
}
