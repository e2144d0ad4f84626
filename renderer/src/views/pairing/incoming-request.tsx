import { useState } from 'react';
import type { IncomingPairing } from '../../../../shared/protocol/pairing.js';
import { formatDateTime } from '../common/format.js';
import { acceptRequest, cancelPairing, usePairing } from './pairing-store.js';

/** Another PC asks this one to become its Standby: the code shown there, typed here (one try). */
export function IncomingRequest({ request }: { request: IncomingPairing }) {
  const busy = usePairing((s) => s.busy);
  const [code, setCode] = useState('');
  const complete = /^\d{6}$/.test(code);
  return (
    <form
      className="inline-panel pairing-request"
      aria-label={`Pairing request from ${request.from.node}`}
      data-testid="pairing-request"
      onSubmit={(event) => {
        event.preventDefault();
        if (complete) void acceptRequest(request.id, code);
      }}
    >
      <span>
        {request.from.node} ({request.from.url}) asks this PC to become the Standby of {request.project.name} ({request.project.id}). This
        PC's own data of that project is set aside and it takes {request.from.node}'s. Type the code shown on {request.from.node}:
      </span>
      <input
        className="pairing-code-input mono"
        data-testid="pairing-code-input"
        aria-label="Code shown on the other PC"
        inputMode="numeric"
        autoComplete="off"
        maxLength={6}
        size={8}
        value={code}
        onChange={(event) => setCode(event.target.value.replace(/\D/g, ''))}
      />
      <button type="submit" data-testid="pairing-accept" disabled={busy || !complete}>
        {busy ? 'Pairing…' : 'Accept'}
      </button>
      <button type="button" disabled={busy} onClick={() => void cancelPairing(request.id)}>
        Decline
      </button>
      <span className="muted">valid until {formatDateTime(request.expiresAt)}</span>
    </form>
  );
}
