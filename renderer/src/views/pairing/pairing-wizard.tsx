import { useEffect, useState } from 'react';
import type { PairingStatus } from '../../../../shared/protocol/pairing.js';
import { FoundNodes } from './found-nodes.js';
import { searchNodes, startPairing, usePairing } from './pairing-store.js';

/**
 * Makes this PC the Server of a project: pick the Standby from the PCs found on the network (the
 * search runs when the wizard opens) or type its address, then one button; the code follows.
 */
export function PairingWizard({ status, replace, onDone }: { status: PairingStatus; replace: boolean; onDone: () => void }) {
  const busy = usePairing((s) => s.busy);
  const [project, setProject] = useState(status.projects[0]?.id ?? '');
  const [address, setAddress] = useState('');
  useEffect(() => {
    void searchNodes();
  }, []);
  const action = replace ? `Replace the Standby of ${project}` : `Make this PC the Server of ${project}`;
  return (
    <form
      className="pairing-wizard"
      aria-label={action}
      data-testid="pairing-wizard"
      onSubmit={(event) => {
        event.preventDefault();
        void startPairing(project, address.trim(), replace).then((started) => started && onDone());
      }}
    >
      {status.projects.length > 1 ? (
        <label className="pairing-field">
          Project
          <select value={project} onChange={(event) => setProject(event.target.value)}>
            {status.projects.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name} ({p.id})
              </option>
            ))}
          </select>
        </label>
      ) : null}
      <p className="subhead">{replace ? 'The new Standby' : 'The Standby'}: a Tandem PC on this network</p>
      <FoundNodes selected={address} onPick={setAddress} />
      <label className="pairing-field">
        or type its address
        <input
          data-testid="pairing-address"
          placeholder="10.0.0.12 or pc-b:7480"
          value={address}
          onChange={(event) => setAddress(event.target.value)}
        />
      </label>
      <div className="pairing-actions">
        <button type="submit" data-testid="pairing-start" disabled={busy || address.trim() === '' || project === ''}>
          {busy ? 'Asking the other PC…' : action}
        </button>
        {replace ? (
          <button type="button" onClick={onDone}>
            Cancel
          </button>
        ) : null}
      </div>
    </form>
  );
}
