import { createStore } from 'zustand/vanilla';
import { useStore } from 'zustand';
import { AcceptPairingResponse, DiscoveryResponse, OkResponse, OutgoingPairing, PairingStatus, UnpairResponse, type DiscoveredNode } from '../../../../shared/protocol/pairing.js';
import { errorText, getJson, nodeApiUrl, postJson } from '../../transport/http.js';

/**
 * The pairing panel's state. Pairing is about the node this page was loaded from (not the Server
 * the station follows), so every call goes to the page's own node.
 */
export interface PairingViewState {
  status: PairingStatus | null;
  /** Nodes the last search found; null before the first search. */
  found: readonly DiscoveredNode[] | null;
  searching: boolean;
  /** A call is under way: buttons wait for it. */
  busy: boolean;
  /** The last refusal or failure, in the node's own words. */
  error: string | null;
  /** What the last finished action did, e.g. "pc-a is now the Server...". */
  notice: string | null;
}

const initial: PairingViewState = { status: null, found: null, searching: false, busy: false, error: null, notice: null };

/** A notice survives the reload that follows joining or leaving a pair. */
const NOTICE_KEY = 'tandem.pairing.notice';

export const pairingStore = createStore<PairingViewState>()(() => ({ ...initial, notice: takeSavedNotice() }));

/** The cluster this page was loaded in: undefined before the first status, null standalone. */
let pageCluster: string | null | undefined;

export function usePairing<T>(selector: (state: PairingViewState) => T): T {
  return useStore(pairingStore, selector);
}

export function resetPairingStore(): void {
  pageCluster = undefined;
  pairingStore.setState(initial, true);
}

const ownNode = (path: string) => nodeApiUrl(path, null);

export async function refreshPairing(): Promise<void> {
  let status: PairingStatus;
  try {
    status = await getJson(ownNode('/api/pairing'), PairingStatus);
  } catch {
    // The connection banner says when the node cannot be reached; the panel keeps what it showed.
    return;
  }
  const cluster = status.pair?.cluster ?? null;
  if (pageCluster === undefined) pageCluster = cluster;
  // The page may talk only to the nodes of the pair it was loaded in (its content security policy):
  // in a new pair, or none, it loads again to follow the new nodes.
  // Not while an action is under way: its outcome is to be kept for after the reload.
  if (cluster !== pageCluster && !pairingStore.getState().busy) {
    const notice = pairingStore.getState().notice;
    if (notice !== null) sessionStorage.setItem(NOTICE_KEY, notice);
    globalThis.location.reload();
    return;
  }
  pairingStore.setState({ status });
}

function takeSavedNotice(): string | null {
  const storage = globalThis.sessionStorage as Storage | undefined;
  const notice = storage?.getItem(NOTICE_KEY) ?? null;
  storage?.removeItem(NOTICE_KEY);
  return notice;
}

export async function searchNodes(): Promise<void> {
  pairingStore.setState({ searching: true, error: null });
  try {
    pairingStore.setState({ found: (await getJson(ownNode('/api/pairing/discovery'), DiscoveryResponse)).nodes });
  } catch (error) {
    pairingStore.setState({ found: [], error: errorText(error) });
  } finally {
    pairingStore.setState({ searching: false });
  }
}

/** Runs one pairing call: busy meanwhile, its refusal shown, the status fetched again after. */
async function act(call: () => Promise<string | null>): Promise<boolean> {
  pairingStore.setState({ busy: true, error: null, notice: null });
  try {
    pairingStore.setState({ notice: await call() });
    return true;
  } catch (error) {
    pairingStore.setState({ error: errorText(error) });
    return false;
  } finally {
    pairingStore.setState({ busy: false });
    await refreshPairing();
  }
}

export function startPairing(project: string, address: string, replace: boolean): Promise<boolean> {
  return act(async () => {
    await postJson(ownNode(replace ? '/api/pairing/replace-standby' : '/api/pairing/start'), { project, address }, OutgoingPairing);
    return null;
  });
}

export function acceptRequest(id: string, code: string): Promise<boolean> {
  return act(async () => {
    const paired = await postJson(ownNode(`/api/pairing/incoming/${id}/accept`), { code }, AcceptPairingResponse);
    return `Paired: this PC is now the Standby of ${paired.project}; ${paired.server} is its Server.`;
  });
}

export function cancelPairing(id: string): Promise<boolean> {
  return act(async () => {
    await postJson(ownNode('/api/pairing/cancel'), { id }, OkResponse);
    return null;
  });
}

export function unpairNode(): Promise<boolean> {
  return act(async () => (await postJson(ownNode('/api/pairing/unpair'), {}, UnpairResponse)).message);
}
