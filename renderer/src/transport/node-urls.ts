import type { ProjectStatus } from '../../../shared/protocol/api.js';

/**
 * Where each node of the project answers: the base URL of its HTTP API and WebSocket, or null for
 * the node this page was loaded from (the page's own origin, whatever name the page came in on).
 */
export type NodeAddresses = ReadonlyMap<string, string | null>;

/**
 * The addresses a status lists. A node listed without a URL is the one that sent the status
 * (`reporterBase`); the page's own node keeps the page's origin even where the pair names it otherwise.
 */
export function addressesFrom(nodes: ProjectStatus['nodes'], reporterBase: string | null, originNode: string | null): NodeAddresses {
  return new Map(nodes.map(({ node, url }) => [node, node === originNode ? null : (url ?? reporterBase)]));
}

export function sameAddresses(a: NodeAddresses, b: NodeAddresses): boolean {
  return a.size === b.size && [...a].every(([node, base]) => b.has(node) && b.get(node) === base);
}

/**
 * `/api/...` on the node at `base`, or on the page's own node. Always absolute, so nothing down the
 * line can mistake it for a path on whichever node serves.
 */
export function apiUrl(path: string, base: string | null, page: Pick<Location, 'origin'>): string {
  return new URL(path, base ?? page.origin).href;
}

/** The WebSocket endpoint of the node at `base`; the page's own node is reached the way the page was. */
export function webSocketUrl(base: string | null, page: Pick<Location, 'protocol' | 'host'>): string {
  if (base === null) return `${page.protocol === 'https:' ? 'wss:' : 'ws:'}//${page.host}/ws`;
  const url = new URL('/ws', base);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return url.href;
}
