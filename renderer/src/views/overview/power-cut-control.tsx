import { useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { PowerCutResponse } from '../../../../shared/protocol/api.js';
import { currentToken, openLogin, useGate } from '../../stores/auth-store.js';
import { showBanner } from '../../stores/banner-store.js';
import { useRedundancy, type RedundancyState } from '../../stores/redundancy-store.js';
import { errorText, nodeApiUrl, postJson } from '../../transport/http.js';

/** The node serving this station, when `tandem demo` started it and it offers a power cut. */
const selectCuttable = (s: RedundancyState) => ({
  node: s.serving && s.dataPowerCut ? (s.servedBy?.node ?? null) : null,
  epoch: s.servedBy?.epoch ?? null,
  standby: s.dataStatus?.peer?.node ?? null,
});

/**
 * Demo only: ends the serving node's process as a power cut would, so a newcomer can watch the
 * takeover without a terminal. It kills a process, so it asks first; the screen stays live meanwhile.
 */
export function PowerCutControl() {
  const { node, epoch, standby } = useRedundancy(useShallow(selectCuttable));
  // Keyed by node and epoch: a question or a cut is about one serving term, never about the next.
  const term = `${node}@${epoch}`;
  const [asking, setAsking] = useState<string | null>(null);
  const [cut, setCut] = useState<string | null>(null);
  const [sending, setSending] = useState(false);
  const gate = useGate('engineer');
  if (node === null) return null;

  const send = async () => {
    if (currentToken() === null) {
      setAsking(null);
      openLogin('Cutting power needs a login as engineer or administrator: sign in, then do it again.');
      return;
    }
    setSending(true);
    try {
      await postJson(nodeApiUrl('/api/demo/power-cut', node), {}, PowerCutResponse);
      setCut(term);
    } catch (error) {
      showBanner(`Could not cut power to ${node}: ${errorText(error)}`);
    } finally {
      setSending(false);
      setAsking(null);
    }
  };

  if (cut === term) {
    return (
      <p className="power-cut muted" data-testid="power-cut-done">
        Power to {node} cut: waiting for {standby ?? 'the Standby'} to take over.
      </p>
    );
  }
  if (asking !== term) {
    return (
      <div className="power-cut" data-testid="power-cut-control">
        <span className="muted">Demo</span>
        <button type="button" data-testid="power-cut" disabled={gate.disabled} title={gate.why ?? undefined} onClick={() => setAsking(term)}>
          Cut power to {node}
        </button>
      </div>
    );
  }
  return (
    <form
      className="inline-panel power-cut"
      aria-label={`Cut power to ${node}`}
      data-testid="power-cut-control"
      onSubmit={(event) => {
        event.preventDefault();
        void send();
      }}
      onKeyDown={(event) => {
        if (event.key === 'Escape') setAsking(null);
      }}
    >
      <span data-testid="power-cut-question">
        Cut power to {node}? Its process ends at once, with no clean stop, as a power cut would;
        {standby ? ` ${standby} takes over, and` : ''} the demo starts {node} again a few seconds later.
      </span>
      <button type="submit" data-testid="power-cut-confirm" disabled={sending} autoFocus>
        {sending ? 'Cutting power…' : 'Cut power'}
      </button>
      <button type="button" data-testid="power-cut-cancel" disabled={sending} onClick={() => setAsking(null)}>
        Cancel
      </button>
    </form>
  );
}
