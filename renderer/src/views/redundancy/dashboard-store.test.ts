import { beforeEach, describe, expect, it } from 'vitest';
import type { ResourceHealth } from '../../../../shared/protocol/api.js';
import { projectStatus } from '../../test/fixtures.js';
import { dashboardStore, recordNodeSilent, recordNodeStatus, resetDashboardStore } from './dashboard-store.js';

const resources: ResourceHealth = { cpuPercent: 5, loadAverage1m: 0.5, eventLoopDelayP99Ms: 12, memoryRssMb: 140, systemMemoryFreePercent: 80, diskFreeMb: 50_000 };
const reading = (node: string) => dashboardStore.getState().nodes.get(node)!;

describe('dashboard readings of a node', () => {
  beforeEach(resetDashboardStore);

  it('keep the round trip and alignment of every poll for the sparkline and the ETA', () => {
    recordNodeStatus('pc-b', 1_000, projectStatus({ role: 'aligning', alignmentProgress: 0.2 }), resources);
    recordNodeStatus('pc-b', 1_500, projectStatus({ role: 'aligning', alignmentProgress: 0.3 }), resources);
    expect(reading('pc-b').heartbeatRttMs).toEqual([{ t: 1_000, v: 2 }, { t: 1_500, v: 2 }]);
    expect(reading('pc-b').alignment).toEqual([{ t: 1_000, v: 0.2 }, { t: 1_500, v: 0.3 }]);
  });

  it('show no round trip over a cut link, whatever the last one was', () => {
    const cut = projectStatus({ peer: { node: 'pc-b', link: 'down', role: null, heartbeatRttMs: 15, lastHeardMsAgo: 3_000, drivers: null } });
    recordNodeStatus('pc-a', 1_000, cut, resources);
    expect(reading('pc-a').heartbeatRttMs).toEqual([{ t: 1_000, v: null }]);
  });

  it('drop the status of a node that stops answering, keep when it last did, and leave a gap in its history', () => {
    recordNodeStatus('pc-b', 1_000, projectStatus(), resources);
    recordNodeSilent('pc-b', 1_500, 'The server could not be reached');
    expect(reading('pc-b')).toMatchObject({ status: null, resources: null, answeredAtMs: 1_000, problem: 'The server could not be reached' });
    expect(reading('pc-b').heartbeatRttMs.at(-1)).toEqual({ t: 1_500, v: null });
  });
});
