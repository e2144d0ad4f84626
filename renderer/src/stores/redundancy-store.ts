import { createStore } from 'zustand/vanilla';
import { useStore } from 'zustand';
import type { ProjectStatus } from '../../../shared/protocol/api.js';
import { addSwitchover, switchoverTo, type Served, type Switchover } from './switchovers.js';

/** The station's own connection to a node other than the one it takes data from. */
export type ControlLink = 'connecting' | 'up' | 'down';

export interface RedundancyState {
  /** Base URL of each node of the project (null: the page's own origin), see transport/node-urls.ts. */
  addresses: ReadonlyMap<string, string | null>;
  /** The node the data connection is on or going to; null while it is the page's own, name not yet known. */
  dataNode: string | null;
  /**
   * The node that serves this station, or last did: kept while none serves (the link is lost, or the
   * data node is a Standby waiting to take over), so a switchover can say where it came from.
   */
  servedBy: Served | null;
  /** True while the data node serves this station. */
  serving: boolean;
  /** The data node's latest status (its WebSocket sends one every second and on a role change). */
  dataStatus: ProjectStatus | null;
  /** The data node was started by `tandem demo` and offers to cut its own power (its /api/status says so). */
  dataPowerCut: boolean;
  /** Control links to the other nodes. */
  controls: ReadonlyMap<string, ControlLink>;
  /** The latest status of each other node, polled over its API; dropped when its link goes down. */
  peerStatuses: ReadonlyMap<string, ProjectStatus>;
  /** Newest first, at most SWITCHOVERS_MAX. */
  switchovers: readonly Switchover[];
  /** The switchover the banner shows until the operator dismisses it. */
  banner: Switchover | null;
}

function initialRedundancyState(): RedundancyState {
  return {
    addresses: new Map(),
    dataNode: null,
    servedBy: null,
    serving: false,
    dataStatus: null,
    dataPowerCut: false,
    controls: new Map(),
    peerStatuses: new Map(),
    switchovers: [],
    banner: null,
  };
}

export const redundancyStore = createStore<RedundancyState>()(initialRedundancyState);

export function useRedundancy<T>(selector: (state: RedundancyState) => T): T {
  return useStore(redundancyStore, selector);
}

export function resetRedundancyStore(): void {
  redundancyStore.setState(initialRedundancyState(), true);
}

export function setAddresses(addresses: ReadonlyMap<string, string | null>): void {
  redundancyStore.setState({ addresses });
}

/** The data connection goes to another node: nothing known of it yet. */
export function setDataNode(dataNode: string | null): void {
  if (redundancyStore.getState().dataNode !== dataNode) redundancyStore.setState({ dataNode, serving: false, dataStatus: null, dataPowerCut: false });
}

export function setDataStatus(dataStatus: ProjectStatus): void {
  redundancyStore.setState({ dataStatus });
}

export function setDataPowerCut(dataPowerCut: boolean): void {
  if (redundancyStore.getState().dataPowerCut !== dataPowerCut) redundancyStore.setState({ dataPowerCut });
}

/** The data node serves this station (again); a different node than before is a switchover. */
export function noteServed(served: Served, atMs: number, reason: string | null): Switchover | null {
  const held = redundancyStore.getState();
  const switchover = switchoverTo(held.servedBy, served, atMs, reason);
  const sameServed = held.servedBy?.node === served.node && held.servedBy.epoch === served.epoch;
  if (!switchover && sameServed && held.serving) return null;
  redundancyStore.setState({
    servedBy: served,
    serving: true,
    ...(switchover ? { switchovers: addSwitchover(held.switchovers, switchover), banner: switchover } : {}),
  });
  return switchover;
}

/** The data node does not serve this station now (lost, or not the Server). */
export function noteNotServed(): void {
  if (redundancyStore.getState().serving) redundancyStore.setState({ serving: false });
}

export function dismissSwitchoverBanner(): void {
  redundancyStore.setState({ banner: null });
}

export function setControlLink(node: string, link: ControlLink | null): void {
  const held = redundancyStore.getState();
  if ((held.controls.get(node) ?? null) === link) return;
  const controls = new Map(held.controls);
  const peerStatuses = new Map(held.peerStatuses);
  if (link === null) controls.delete(node);
  else controls.set(node, link);
  if (link !== 'up') peerStatuses.delete(node);
  redundancyStore.setState({ controls, peerStatuses });
}

export function setPeerStatus(node: string, status: ProjectStatus): void {
  if (redundancyStore.getState().controls.get(node) !== 'up') return;
  redundancyStore.setState({ peerStatuses: new Map(redundancyStore.getState().peerStatuses).set(node, status) });
}
