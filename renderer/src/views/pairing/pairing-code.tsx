import type { OutgoingPairing } from '../../../../shared/protocol/pairing.js';
import { formatDateTime } from '../common/format.js';
import { cancelPairing, usePairing } from './pairing-store.js';

/** The code to type on the other PC while it waits, or how the attempt ended. */
export function PairingCode({ outgoing }: { outgoing: OutgoingPairing }) {
  const busy = usePairing((s) => s.busy);
  if (outgoing.state !== 'waitingForCode') {
    return (
      <p className={outgoing.state === 'paired' ? 'pairing-notice' : 'pairing-error'} data-testid="pairing-outcome">
        {outgoing.message}
      </p>
    );
  }
  return (
    <div className="inline-panel pairing-code-panel" data-testid="pairing-code-panel">
      <span>
        On {outgoing.peer.node}, open the Overview and type this code to make it the {outgoing.replace ? 'new ' : ''}Standby of {outgoing.project}:
      </span>
      <output className="pairing-code mono" data-testid="pairing-code" aria-label="Pairing code">
        {outgoing.code}
      </output>
      <span className="muted">valid until {formatDateTime(outgoing.expiresAt)}</span>
      <button type="button" disabled={busy} onClick={() => void cancelPairing(outgoing.id)}>
        Cancel
      </button>
    </div>
  );
}
