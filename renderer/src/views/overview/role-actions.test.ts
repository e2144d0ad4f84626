import { describe, expect, it } from 'vitest';
import type { ProjectStatus } from '../../../../shared/protocol/api.js';
import { roleActions } from './role-actions.js';

const serving = (roles: ProjectStatus['roles'], peerRole: string | null = 'standby'): ProjectStatus =>
  ({
    role: 'server',
    server: 'pc-a',
    peer: { node: 'pc-b', link: 'up', role: peerRole, heartbeatRttMs: 1, lastHeardMsAgo: 0, drivers: null },
    roles,
  }) as ProjectStatus;

describe('role actions offered on the Overview', () => {
  it('offer a switchover only to a Standby that can take it, and the opposite of each setting', () => {
    expect(roleActions(serving({ preferred: 'pc-a', frozen: false, outOfService: [] })).map((a) => a.label)).toEqual([
      'Switch over to pc-b…',
      'Make pc-b preferred…',
      'Freeze roles…',
      'Take pc-b out of service…',
    ]);
    expect(roleActions(serving({ preferred: 'pc-a', frozen: true, outOfService: ['pc-b'] })).map((a) => a.label)).toEqual([
      'Make pc-b preferred…',
      'Unfreeze roles…',
      'Put pc-b back in service…',
    ]);
    expect(roleActions(serving({ preferred: 'pc-a', frozen: false, outOfService: [] }, 'aligning')).map((a) => a.id)).not.toContain('switchover');
  });

  it('offer nothing on a station not served by a Server of a pair', () => {
    expect(roleActions({ ...serving({ preferred: 'pc-a', frozen: false, outOfService: [] }), role: 'standby' })).toEqual([]);
    expect(roleActions({ ...serving({ preferred: 'pc-a', frozen: false, outOfService: [] }), peer: null })).toEqual([]);
  });
});
