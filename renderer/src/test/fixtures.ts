import type { ProjectStatus } from '../../../shared/protocol/api.js';
import type { AlarmStatus, CelEntry } from '../../../shared/protocol/entities.js';

export function alarm(overrides: Partial<AlarmStatus> & { alarmId: string }): AlarmStatus {
  return {
    tag: `${overrides.alarmId}.tag`,
    text: `text of ${overrides.alarmId}`,
    priority: 'medium',
    alarmClass: 'process',
    state: 'unackActive',
    conditionActive: true,
    since: 1_000,
    activeSince: 1_000,
    value: 1,
    ackUser: null,
    ackComment: null,
    shelvedUntil: null,
    ...overrides,
  };
}

export function celEntry(seq: number, overrides: Partial<CelEntry> = {}): CelEntry {
  return {
    id: `cel-${seq}`,
    seq,
    t: 1_700_000_000_000 + seq * 1_000,
    node: 'pc-a',
    kind: 'system',
    user: null,
    text: `event ${seq}`,
    alarmId: null,
    tag: null,
    state: null,
    ...overrides,
  };
}

/** The status pc-a gives as the Server of a healthy pair with pc-b as its Standby. */
export function projectStatus(overrides: Partial<ProjectStatus> = {}): ProjectStatus {
  return {
    id: 'fast',
    name: 'Fast test plant',
    role: 'server',
    epoch: 2,
    seq: 100,
    server: 'pc-a',
    stateHash: 'aaaa0000',
    drivers: [],
    alarmsActive: 0,
    alarmsUnacknowledged: 0,
    peer: { node: 'pc-b', link: 'up', role: 'standby', heartbeatRttMs: 2, lastHeardMsAgo: 50, drivers: null, problem: null },
    replication: { lagOps: 0, lagMs: 0 },
    alignmentProgress: 1,
    degraded: false,
    roles: { preferred: 'pc-a', frozen: false, outOfService: [] },
    nodes: [
      { node: 'pc-a', url: 'http://127.0.0.1:7101/', fingerprint: 'a1'.repeat(32) },
      { node: 'pc-b', url: 'http://127.0.0.1:7102/', fingerprint: 'b2'.repeat(32) },
    ],
    ...overrides,
  };
}
