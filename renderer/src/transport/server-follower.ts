import { StatusResponse, type ProjectStatus } from '../../../shared/protocol/api.js';
import type { Role } from '../../../shared/protocol/entities.js';
import type { ClientMessage, ServerMessage } from '../../../shared/protocol/ws.js';
import { connectionStore, setConnectedNode, type LinkState } from '../stores/connection-store.js';
import {
  noteNotServed,
  noteServed,
  redundancyStore,
  setAddresses,
  setDataNode,
  setDataPowerCut,
  setDataStatus,
} from '../stores/redundancy-store.js';
import { startControlLinks } from './control-links.js';
import {
  chooseDataNode,
  connectDelayMs,
  initialFollow,
  servesRole,
  withConnecting,
  withDataLost,
  withDataUp,
  withHealth,
  withNamedServer,
  withServed,
  withStatus,
  type FollowState,
} from './follow-server.js';
import { getJson, nodeApiUrl } from './http.js';
import { addressesFrom, sameAddresses, webSocketUrl } from './node-urls.js';
import { WITNESS_PERIOD_MS, witnessFrame, witnessRecipients } from './witness.js';
import { startWsClient, type SocketLike } from './ws-client.js';

/** A role change's reason names the switchover that follows it within this long. */
const REASON_FRESH_MS = 10_000;

export interface ServerFollowerOptions {
  page: Pick<Location, 'protocol' | 'host'>;
  createSocket(url: string): SocketLike;
  projectId(): string | null;
  /** Subscribes on a new data connection, and again on the same one when its node starts to serve. */
  subscribe(send: (message: ClientMessage) => void): void | Promise<void>;
  /** Every frame of the data connection, after the follower has read what it needs. */
  onFrame(message: ServerMessage, atMs: number): void;
  onLinkState(state: LinkState, atMs: number): void;
}

/** Where the data connection is, and who serves, is published in the redundancy store. */
export interface ServerFollower {
  stop(): void;
}

/**
 * Keeps this station's data subscription on the node that serves the project, moves it when that
 * node is lost or stops serving (resuming from the last position seen, so the CEL has no gap), holds
 * a control connection to every other node, and testifies to them as a witness (ARCHITECTURE.md,
 * "Clients" and "Split brain"). The choices are made in follow-server.ts; this runs the sockets.
 */
export function startServerFollower(options: ServerFollowerOptions): ServerFollower {
  let follow: FollowState = initialFollow();
  /** The node this page was loaded from: reached at the page's origin, whatever URL the pair gives it. */
  let originNode: string | null = null;
  let dataServes = false;
  /** Whether the current subscription's snapshot came from a node that served. */
  let subscribedToServer = false;
  let lastServedFrameAt: number | null = null;
  let lastReason: { text: string; atMs: number } | null = null;
  let sendOnData: ((message: ClientMessage) => void) | null = null;

  const baseOf = (node: string | null) => (node === null ? null : (redundancyStore.getState().addresses.get(node) ?? null));

  const reconcileControls = () => {
    if (follow.data === null || !follow.dataUp) return;
    const targets = new Map([...redundancyStore.getState().addresses].filter(([node]) => node !== follow.data));
    controls.reconcile(targets);
  };

  /** Moves the data connection when the choice changed while it is open (a lost one reconnects by itself). */
  const decide = () => {
    const target = chooseDataNode(follow);
    if (follow.dataUp && target !== follow.data) data.reconnect(connectDelayMs(follow, target));
  };

  const onRole = (role: Role, epoch: number, atMs: number) => {
    const wasServing = dataServes;
    dataServes = servesRole(role);
    const node = follow.data;
    if (!dataServes || node === null) {
      noteNotServed();
      return;
    }
    follow = withServed(follow);
    lastServedFrameAt = atMs;
    const reason = lastReason && atMs - lastReason.atMs <= REASON_FRESH_MS ? lastReason.text : null;
    noteServed({ node, epoch }, atMs + connectionStore.getState().serverClockOffsetMs, reason);
    // It took over while this station was subscribed as to a Standby: a fresh snapshot from the
    // position held brings whatever reached it in between (entries already held are merged away).
    if (!wasServing && !subscribedToServer && sendOnData) {
      subscribedToServer = true;
      void Promise.resolve(options.subscribe(sendOnData)).catch((error: unknown) => console.warn('tandem: could not subscribe again', error));
    }
  };

  const onStatus = (status: ProjectStatus, reason: string | null, atMs: number) => {
    if (reason !== null) lastReason = { text: reason, atMs };
    const addresses = addressesFrom(status.nodes, baseOf(follow.data), originNode);
    if (!sameAddresses(addresses, redundancyStore.getState().addresses)) setAddresses(addresses);
    if (follow.data !== null) follow = withStatus(follow, follow.data, status);
    setDataStatus(status);
    onRole(status.role, status.epoch, atMs);
    reconcileControls();
  };

  /**
   * The first status frame comes up to a second after subscribing; until then the station would not
   * know where the other nodes are if this node died. Its API tells at once.
   */
  const readStatusNow = async (node: string) => {
    const projectId = options.projectId();
    try {
      const answer = await getJson(nodeApiUrl('/api/status', node), StatusResponse);
      if (follow.data === node) setDataPowerCut(answer.demo !== null && answer.demo.powerCut);
      const status = answer.projects.find((p) => p.id === projectId);
      // Taken as the status frame it stands in for, so every store hears of it alike.
      if (status && follow.data === node && follow.dataUp && redundancyStore.getState().dataStatus === null) {
        onDataFrame({ type: 'status', project: status.id, status, reason: null }, Date.now());
      }
    } catch (error) {
      console.warn(`tandem: status of ${node} could not be read`, error);
    }
  };

  const onDataFrame = (message: ServerMessage, atMs: number) => {
    if (dataServes) lastServedFrameAt = atMs;
    switch (message.type) {
      case 'welcome':
        if (follow.data === null) originNode ??= message.node;
        follow = withDataUp(follow, message.node);
        setDataNode(message.node);
        setConnectedNode(message.node);
        reconcileControls();
        break;
      case 'snapshot':
        subscribedToServer = servesRole(message.role);
        follow = withNamedServer(follow, message.server, message.position.epoch);
        onRole(message.role, message.position.epoch, atMs);
        if (follow.data !== null && redundancyStore.getState().dataStatus === null) void readStatusNow(follow.data);
        break;
      case 'status':
        if (message.project === options.projectId()) onStatus(message.status, message.reason, atMs);
        break;
      default:
        break;
    }
    options.onFrame(message, atMs);
    decide();
  };

  const data = startWsClient({
    url: () => {
      const node = chooseDataNode(follow);
      follow = withConnecting(follow, node);
      dataServes = false;
      subscribedToServer = false;
      setDataNode(node);
      return webSocketUrl(baseOf(node), options.page);
    },
    createSocket: options.createSocket,
    onOpen: (send) => {
      sendOnData = send;
      return options.subscribe(send);
    },
    onMessage: onDataFrame,
    onLinkState: options.onLinkState,
    onDrop: () => {
      follow = withDataLost(follow);
      dataServes = false;
      sendOnData = null;
      noteNotServed();
    },
    reconnectDelayMs: () => connectDelayMs(follow, chooseDataNode(follow)),
  });

  const controls = startControlLinks({
    page: options.page,
    createSocket: options.createSocket,
    projectId: options.projectId,
    onHealth: (node, health) => {
      follow = withHealth(follow, node, health);
      decide();
    },
    onStatus: (node, status) => {
      follow = withStatus(follow, node, status);
      decide();
    },
  });

  const witness = setInterval(() => {
    const frame = witnessFrame(options.projectId(), redundancyStore.getState().servedBy, lastServedFrameAt, Date.now());
    if (frame === null) return;
    const connected = controls.open();
    if (follow.dataUp && follow.data !== null) connected.push(follow.data);
    for (const node of witnessRecipients(frame, connected)) {
      if (node === follow.data) data.send(frame);
      else controls.send(node, frame);
    }
  }, WITNESS_PERIOD_MS);

  return {
    stop() {
      clearInterval(witness);
      controls.stop();
      data.stop();
    },
  };
}
