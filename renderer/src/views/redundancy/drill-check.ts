import type { ProjectStatus } from '../../../../shared/protocol/api.js';

/**
 * Why a failover drill cannot start now, from the status of the node serving this station, or null
 * when the pair can switch over to its Standby and back. Same conditions the Server refuses with 409.
 */
export function drillRefusal(server: ProjectStatus | null): string | null {
  if (server === null) return 'No node serves this station now: the drill needs a Server to start from.';
  const peer = server.peer;
  if (server.role === 'standalone' || peer === null) return 'The project runs standalone: there is no Standby to switch over to.';
  if (server.role !== 'server') return `The node serving this station is ${server.role}, not the Server: wait until the pair has settled.`;
  if (server.roles.frozen) return 'Roles are frozen (maintenance): a planned switchover is refused. Unfreeze the roles on the Overview first.';
  if (server.roles.outOfService.includes(peer.node)) return `${peer.node} is out of service: it cannot take the Server role. Put it back in service first.`;
  if (peer.link !== 'up') return `The peer link to ${peer.node} is down: it cannot take over in a planned switchover.`;
  if (peer.role !== 'standby') return `${peer.node} is not a ready Standby (it is ${peer.role ?? 'not heard'}): wait until it has aligned.`;
  if (server.degraded) return `Redundancy is degraded: ${peer.node} does not hold everything yet. Wait until it has caught up.`;
  return null;
}
