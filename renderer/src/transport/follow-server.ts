import type { ProjectStatus } from '../../../shared/protocol/api.js';
import type { Role } from '../../../shared/protocol/entities.js';
import { reconnectDelayMs } from './backoff.js';

/**
 * Which node of the project this station takes its data from. Pure: the caller feeds it what it
 * hears (statuses, snapshots, links up and down) and asks where the data connection belongs.
 */
export interface FollowState {
  /** The project's nodes in a fixed order (from status); empty until the first status. */
  nodes: readonly string[];
  /** The node the data connection is on or going to; null while it is the page's own, name not yet known. */
  data: string | null;
  /** True while the data connection is open and heard. */
  dataUp: boolean;
  /** The Server as last named by a status or snapshot; a higher epoch always wins. */
  named: { node: string; epoch: number } | null;
  /** Up: a connection to the node is heard now. Down: the last one failed and it has not been heard since. */
  health: ReadonlyMap<string, 'up' | 'down'>;
  /** Connections opened since the station was last served: spaces out tries when no node serves. */
  tries: number;
}

export function initialFollow(): FollowState {
  return { nodes: [], data: null, dataUp: false, named: null, health: new Map(), tries: 0 };
}

export function servesRole(role: Role): boolean {
  return role === 'server' || role === 'standalone';
}

/** A Server named with an epoch older than the one known is stale news, and is ignored. */
export function withNamedServer(state: FollowState, node: string, epoch: number): FollowState {
  if (node === '' || (state.named !== null && epoch < state.named.epoch)) return state;
  if (state.named?.node === node && state.named.epoch === epoch) return state;
  return { ...state, named: { node, epoch } };
}

/** What a status says: the nodes, and who serves. From another node, only a claim to serve counts. */
export function withStatus(state: FollowState, from: string, status: ProjectStatus): FollowState {
  const nodes = status.nodes.map((n) => n.node);
  const next = sameList(nodes, state.nodes) ? state : { ...state, nodes };
  if (from === state.data) return withNamedServer(next, status.server, status.epoch);
  return servesRole(status.role) ? withNamedServer(next, from, status.epoch) : next;
}

/** A data connection to `node` (null: the page's own node) is being opened. */
export function withConnecting(state: FollowState, node: string | null): FollowState {
  return { ...state, data: node, dataUp: false, tries: state.tries + 1 };
}

/** The data connection's node said its name (welcome): it is heard. */
export function withDataUp(state: FollowState, node: string): FollowState {
  return withHealth({ ...state, data: node, dataUp: true }, node, 'up');
}

export function withDataLost(state: FollowState): FollowState {
  const lost = { ...state, dataUp: false };
  return state.data === null ? lost : withHealth(lost, state.data, 'down');
}

/** The data connection's node serves this station: the next trouble starts the tries afresh. */
export function withServed(state: FollowState): FollowState {
  return state.tries === 0 ? state : { ...state, tries: 0 };
}

export function withHealth(state: FollowState, node: string, health: 'up' | 'down'): FollowState {
  if (state.health.get(node) === health) return state;
  return { ...state, health: new Map(state.health).set(node, health) };
}

/**
 * The node the data connection belongs on: the named Server unless its last connection failed;
 * else the current node while it is heard (a Standby tells at once when it takes over); else the
 * next node in turn, preferring one that is heard, then one not known to be down. Null: the page's
 * own node, whose name is not known yet.
 */
export function chooseDataNode(state: FollowState): string | null {
  const named = state.named?.node;
  if (named !== undefined && state.nodes.includes(named) && state.health.get(named) !== 'down') return named;
  if (state.dataUp || state.data === null) return state.data;
  const at = state.nodes.indexOf(state.data);
  const inTurn = at < 0 ? [...state.nodes] : [...state.nodes.slice(at + 1), ...state.nodes.slice(0, at + 1)];
  return (
    inTurn.find((node) => state.health.get(node) === 'up') ??
    inTurn.find((node) => !state.health.has(node)) ??
    inTurn[0] ??
    state.data
  );
}

/**
 * How long to wait before connecting to `node`: at once for the first hop (after losing the Server,
 * or from the page's own node to the Server it names) if the node is heard; else the bounded backoff
 * (250 ms → 2 s), so two nodes that each name the other, or none that answers, are tried calmly.
 */
export function connectDelayMs(state: FollowState, node: string | null): number {
  if (state.tries <= 1 && node !== null && state.health.get(node) === 'up') return 0;
  return reconnectDelayMs(state.tries);
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((item, i) => item === b[i]);
}
