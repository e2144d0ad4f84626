import { createStore } from 'zustand/vanilla';
import { useStore } from 'zustand';

export type LinkState = 'connecting' | 'connected' | 'lost';

export interface ConnectionState {
  state: LinkState;
  /** When `state` was entered (client clock, only for "lost 3 s ago"). */
  since: number;
  /** The node of the data connection, from its `welcome` (it may be a Standby about to take over). */
  node: string | null;
  lastFrameAt: number | null;
  /** Server clock minus client clock, from heartbeats: live trends place "now" by the server's clock. */
  serverClockOffsetMs: number;
  /** Why the client cannot subscribe (e.g. no project on this node), shown next to the state. */
  problem: string | null;
}

function initialConnectionState(): ConnectionState {
  return { state: 'connecting', since: Date.now(), node: null, lastFrameAt: null, serverClockOffsetMs: 0, problem: null };
}

export const connectionStore = createStore<ConnectionState>()(initialConnectionState);

export function useConnection<T>(selector: (state: ConnectionState) => T): T {
  return useStore(connectionStore, selector);
}

export function resetConnectionStore(): void {
  connectionStore.setState(initialConnectionState(), true);
}

export function setLinkState(state: LinkState, atMs: number): void {
  if (connectionStore.getState().state !== state) connectionStore.setState({ state, since: atMs });
  if (state === 'connected') connectionStore.setState({ problem: null });
}

export function setConnectedNode(node: string): void {
  connectionStore.setState({ node });
}

export function noteHeartbeat(atMs: number, serverT: number): void {
  connectionStore.setState({ lastFrameAt: atMs, serverClockOffsetMs: serverT - atMs });
}

export function serverNow(): number {
  return Date.now() + connectionStore.getState().serverClockOffsetMs;
}

export function setConnectionProblem(problem: string | null): void {
  connectionStore.setState({ problem });
}
