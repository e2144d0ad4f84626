import type { ProjectStatus } from '../../../../shared/protocol/api.js';

/** One role command the engineer may give: what the button says, the question it asks, and what it sends. */
export interface RoleAction {
  id: string;
  label: string;
  question: string;
  path: string;
  body: object;
}

/** The commands that make sense now, from the Server's status: never one the Server would refuse for its own state. */
export function roleActions(status: ProjectStatus): RoleAction[] {
  const peer = status.peer?.node;
  if (!peer || status.role !== 'server') return [];
  const self = status.server;
  const { frozen, preferred, outOfService } = status.roles;
  const actions: RoleAction[] = [];
  if (!frozen && !outOfService.includes(peer) && status.peer?.role === 'standby') {
    actions.push({ id: 'switchover', label: `Switch over to ${peer}…`, question: `Hand the Server role to ${peer} now? It becomes the preferred Server; stations follow it by themselves.`, path: '/switchover', body: { to: peer } });
  }
  const other = preferred === self ? peer : self;
  actions.push({ id: 'preferred', label: `Make ${other} preferred…`, question: `Make ${other} the preferred Server?${frozen ? ' Roles are frozen: the role moves only after they are unfrozen.' : ' With automatic failback the role moves to it once it has everything.'}`, path: '/preferred', body: { node: other } });
  actions.push(
    frozen
      ? { id: 'freeze', label: 'Unfreeze roles…', question: 'Unfreeze the roles? Planned switchovers (failback, manual) are possible again.', path: '/freeze', body: { frozen: false } }
      : { id: 'freeze', label: 'Freeze roles…', question: 'Freeze the roles for maintenance? No planned switchover until they are unfrozen; a failed Server is still replaced.', path: '/freeze', body: { frozen: true } },
  );
  actions.push(
    outOfService.includes(peer)
      ? { id: 'service', label: `Put ${peer} back in service…`, question: `Put ${peer} back in service? It can take over again.`, path: `/nodes/${encodeURIComponent(peer)}/service`, body: { inService: true } }
      : { id: 'service', label: `Take ${peer} out of service…`, question: `Take ${peer} out of service? It keeps receiving data but does not take over if ${self} fails: redundancy is degraded meanwhile.`, path: `/nodes/${encodeURIComponent(peer)}/service`, body: { inService: false } },
  );
  return actions;
}

