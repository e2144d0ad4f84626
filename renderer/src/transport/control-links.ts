import { StatusResponse, type ProjectStatus } from '../../../shared/protocol/api.js';
import type { ClientMessage } from '../../../shared/protocol/ws.js';
import { setControlLink, setPeerStatus } from '../stores/redundancy-store.js';
import { getJson, nodeApiUrl } from './http.js';
import { webSocketUrl } from './node-urls.js';
import { startWsClient, type SocketLike, type WsClient } from './ws-client.js';

/**
 * A control connection carries no subscription, so the node sends no status on it: its status is
 * read over its API this often instead, for the overview and to hear at once which node serves.
 */
const PEER_STATUS_POLL_MS = 2_000;

export interface ControlLinksOptions {
  page: Pick<Location, 'protocol' | 'host'>;
  createSocket(url: string): SocketLike;
  projectId(): string | null;
  onHealth(node: string, health: 'up' | 'down'): void;
  onStatus(node: string, status: ProjectStatus): void;
}

export interface ControlLinks {
  /** Keeps one control connection to each of these nodes (node → base URL); closes every other one. */
  reconcile(targets: ReadonlyMap<string, string | null>): void;
  /** Nodes whose control connection is open now. */
  open(): string[];
  send(node: string, message: ClientMessage): boolean;
  stop(): void;
}

interface Link {
  base: string | null;
  client: WsClient;
  up: boolean;
  poll: ReturnType<typeof setInterval>;
}

/**
 * Light WebSocket connections to the project's other nodes: how the station hears at once that a
 * node is back or gone, and how it testifies as a witness to every node (witness.ts).
 */
export function startControlLinks(options: ControlLinksOptions): ControlLinks {
  const links = new Map<string, Link>();

  const pollStatus = async (node: string, link: Link) => {
    const projectId = options.projectId();
    if (!link.up || projectId === null) return;
    try {
      const answer = await getJson(nodeApiUrl('/api/status', node), StatusResponse);
      const status = answer.projects.find((p) => p.id === projectId);
      if (status && links.get(node) === link && link.up) {
        setPeerStatus(node, status);
        options.onStatus(node, status);
      }
    } catch (error) {
      console.warn(`tandem: status of ${node} could not be read`, error);
    }
  };

  const open = (node: string, base: string | null): Link => {
    setControlLink(node, 'connecting');
    const link: Link = {
      base,
      up: false,
      poll: setInterval(() => void pollStatus(node, link), PEER_STATUS_POLL_MS),
      client: startWsClient({
        url: () => webSocketUrl(base, options.page),
        createSocket: options.createSocket,
        onOpen: () => undefined,
        onMessage: () => undefined,
        onLinkState: (state) => {
          if (state !== 'connected' || link.up) return;
          link.up = true;
          setControlLink(node, 'up');
          options.onHealth(node, 'up');
          void pollStatus(node, link);
        },
        onDrop: () => {
          link.up = false;
          setControlLink(node, 'down');
          options.onHealth(node, 'down');
        },
      }),
    };
    return link;
  };

  const close = (node: string) => {
    const link = links.get(node);
    if (!link) return;
    links.delete(node);
    clearInterval(link.poll);
    link.client.stop();
    setControlLink(node, null);
  };

  return {
    reconcile(targets) {
      for (const [node, link] of links) if (!targets.has(node) || targets.get(node) !== link.base) close(node);
      for (const [node, base] of targets) if (!links.has(node)) links.set(node, open(node, base));
    },
    open: () => [...links].filter(([, link]) => link.up).map(([node]) => node),
    send: (node, message) => links.get(node)?.client.send(message) ?? false,
    stop() {
      for (const node of [...links.keys()]) close(node);
    },
  };
}
