import { useEffect, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { refreshPairing, usePairing, type PairingViewState } from './pairing-store.js';
import { IncomingRequest } from './incoming-request.js';
import { PairSummary } from './pair-summary.js';
import { PairingCode } from './pairing-code.js';
import { PairingWizard } from './pairing-wizard.js';

/** The node's status is fetched this often while the panel is shown: a request from another PC appears by itself. */
const REFRESH_MS = 1_000;

const selectPanel = (s: PairingViewState) => ({ status: s.status, error: s.error, notice: s.notice });

/**
 * Pairing this PC with another, on the Overview: standalone, the wizard (pick a PC, get a code);
 * a request from another PC, its code field; paired, the pair with Unpair and Replace Standby.
 */
export function PairingPanel() {
  const { status, error, notice } = usePairing(useShallow(selectPanel));
  const [replacing, setReplacing] = useState(false);
  useEffect(() => {
    void refreshPairing();
    const timer = setInterval(() => void refreshPairing(), REFRESH_MS);
    return () => clearInterval(timer);
  }, []);
  const outgoing = status?.outgoing ?? null;
  const waiting = outgoing?.state === 'waitingForCode';
  return (
    <div className="panel wide pairing" data-testid="pairing-panel">
      <h2>Pairing</h2>
      {status === null ? <p className="muted">Waiting for this PC's pairing status…</p> : null}
      {status?.incoming.map((request) => <IncomingRequest key={request.id} request={request} />)}
      {status?.pair ? <PairSummary pair={status.pair} node={status.node} onReplace={() => setReplacing(true)} /> : null}
      {outgoing && (outgoing.state !== 'paired' || status?.pair) ? <PairingCode outgoing={outgoing} /> : null}
      {status && !waiting && status.incoming.length === 0 && (status.pair === null || replacing) ? (
        <PairingWizard status={status} replace={status.pair !== null} onDone={() => setReplacing(false)} />
      ) : null}
      {notice ? (
        <p className="pairing-notice" data-testid="pairing-notice">
          {notice}
        </p>
      ) : null}
      {error ? (
        <p className="pairing-error" role="alert" data-testid="pairing-error">
          {error}
        </p>
      ) : null}
    </div>
  );
}
