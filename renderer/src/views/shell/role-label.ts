import type { Role } from '../../../../shared/protocol/entities.js';

export const ROLE_LABEL: Record<Role, string> = {
  standalone: 'Standalone',
  server: 'Server',
  standby: 'Standby',
  aligning: 'Aligning',
};
