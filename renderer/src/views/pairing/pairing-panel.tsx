import { useEffect, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { roleAllows } from '../../../../shared/domain/user-role.js';
import { openLogin, useAuth } from '../../stores/auth-store.js';
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
  const session = useAuth((s) => s.session);
  const mayPair = session !== null && roleAllows(session.role, 'engineer');
  return mayPair ? <PairingControls /> : <PairingSignIn signedInAs={session ? `${session.user} (${session.role})` : null} />;
}

/** Pairing needs an engineer: the panel asks to sign in rather than polling a node that would refuse. */
function PairingSignIn({ signedInAs }: { signedInAs: string | null }) {
  const notice = usePairing((s) => s.notice);
  const reason = 'pairing this PC needs a login as engineer or administrator';
  return (
    <div className="panel wide pairing" data-testid="pairing-panel">
      <h2>Pairing</h2>
      {notice ? (
        <p className="pairing-notice" data-testid="pairing-notice">
          {notice}
        </p>
      ) : null}
      <p className="muted" data-testid="pairing-sign-in-needed">
        {signedInAs ? `Pairing needs an engineer or administrator; ${signedInAs} may not pair.` : 'Sign in as an engineer or administrator to pair this PC with another.'}
      </p>
      {signedInAs ? null : (
        <button type="button" data-testid="pairing-sign-in" onClick={() => openLogin(reason)}>
          Sign in…
        </button>
      )}
    </div>
  );
}

function PairingControls() {
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
