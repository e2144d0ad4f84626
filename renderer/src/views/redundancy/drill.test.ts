import { describe, expect, it } from 'vitest';
import type { ProjectStatus } from '../../../../shared/protocol/api.js';
import { projectStatus } from '../../test/fixtures.js';
import { drillRefusal } from './drill-check.js';
import { drillPassed, drillReportJson, drillReportText, factsDiffer } from './drill-report.js';
import { runFailoverDrill, type DrillPorts, type SwitchoverEntry } from './drill-runner.js';

describe('when the drill may start', () => {
  it('starts on a healthy pair', () => {
    expect(drillRefusal(projectStatus())).toBeNull();
  });

  it('refuses with the reason the pair could not switch', () => {
    expect(drillRefusal(null)).toMatch(/No node serves this station/);
    expect(drillRefusal(projectStatus({ role: 'standalone', peer: null }))).toMatch(/standalone/);
    expect(drillRefusal(projectStatus({ roles: { preferred: 'pc-a', frozen: true, outOfService: [] } }))).toMatch(/Roles are frozen/);
    expect(drillRefusal(projectStatus({ roles: { preferred: 'pc-a', frozen: false, outOfService: ['pc-b'] } }))).toMatch(/pc-b is out of service/);
    expect(drillRefusal(projectStatus({ peer: { node: 'pc-b', link: 'up', role: 'aligning', heartbeatRttMs: 1, lastHeardMsAgo: 0, drivers: null } }))).toMatch(/pc-b is not a ready Standby \(it is aligning\)/);
    expect(drillRefusal(projectStatus({ degraded: true }))).toMatch(/degraded/);
  });
});

describe('drill report', () => {
  it('says what differs between the nodes, with both values', () => {
    expect(factsDiffer({ node: 'pc-a', seq: 5, stateHash: 'x' }, { node: 'pc-b', seq: 5, stateHash: 'x' })).toBeNull();
    expect(factsDiffer({ node: 'pc-a', seq: 5, stateHash: 'x' }, { node: 'pc-b', seq: 4, stateHash: 'y' })).toBe('seq pc-a 5 ≠ pc-b 4; state hash pc-a x ≠ pc-b y');
  });
});

/** A pair that switches over when told, on a virtual clock: each poll advances time. */
function fakePair(options: { convergesAfterPolls?: number; refuse?: string } = {}) {
  let now = 1_000;
  let server = 'pc-a';
  let epoch = 2;
  let seq = 100;
  let polls = 0;
  const history: SwitchoverEntry[] = [];
  const commands: string[] = [];
  const status = (node: string): ProjectStatus => {
    const serving = node === server;
    const behind = polls < (options.convergesAfterPolls ?? 0) && !serving ? 1 : 0;
    return projectStatus({ role: serving ? 'server' : 'standby', epoch, seq: seq - behind, stateHash: behind ? 'old' : 'same', peer: { node: node === 'pc-a' ? 'pc-b' : 'pc-a', link: 'up', role: serving ? 'standby' : 'server', heartbeatRttMs: 1, lastHeardMsAgo: 0, drivers: null } });
  };
  const ports: DrillPorts = {
    now: () => now,
    sleep: async (ms) => void (now += ms),
    switchover: async (to) => {
      if (options.refuse) throw new Error(options.refuse);
      commands.push(to);
      server = to;
      epoch += 1;
      seq += 3;
      history.unshift({ node: to, epoch, reasonCode: 'planned', reason: 'manual switchover', gapMs: 40 + commands.length, t: now, seq });
    },
    servedAt: async () => (now += 120),
    statuses: async () => {
      polls += 1;
      return new Map([['pc-a', status('pc-a')], ['pc-b', status('pc-b')]]);
    },
    switchovers: async () => [...history],
    progress: () => undefined,
  };
  return { ports, commands };
}

const plan = { project: 'fast', user: 'otto', server: 'pc-a', standby: 'pc-b' };

describe('failover drill', () => {
  it('switches to the Standby and back and reports both legs verified with the logged gaps', async () => {
    const pair = fakePair({ convergesAfterPolls: 3 });
    const report = await runFailoverDrill(pair.ports, plan);
    expect(pair.commands).toEqual(['pc-b', 'pc-a']);
    expect(report.legs.map((l) => [l.from, l.to, l.servedAfterMs, l.gapMs, l.check])).toEqual([
      ['pc-a', 'pc-b', 120, 41, 'verified'],
      ['pc-b', 'pc-a', 120, 42, 'verified'],
    ]);
    expect(drillPassed(report)).toBe(true);
    const text = drillReportText(report, (ms) => `t${ms}`);
    expect(text).toContain('Result: passed');
    expect(text).toContain('Leg 2: pc-b → pc-a');
    expect(text).toContain('gap recorded in the log: 42 ms (epoch 4)');
    expect(JSON.parse(drillReportJson(report))).toMatchObject({ passed: true, user: 'otto' });
  });

  it('reports a refused command and stops', async () => {
    const report = await runFailoverDrill(fakePair({ refuse: 'Roles are frozen' }).ports, plan);
    expect(report.legs).toHaveLength(1);
    expect(report.stoppedBecause).toBe('the switchover to pc-b was refused: Roles are frozen');
    expect(drillPassed(report)).toBe(false);
  });

  it('bounds every wait and reports what still differed', async () => {
    const pair = fakePair({ convergesAfterPolls: Number.POSITIVE_INFINITY });
    const report = await runFailoverDrill(pair.ports, plan);
    expect(report.legs[0]!.verified).toBe(false);
    expect(report.legs[0]!.check).toBe('not verified within 30 s: seq pc-a 102 ≠ pc-b 103; state hash pc-a old ≠ pc-b same');
  });

  it('reports a new Server that never serves the station as a timeout', async () => {
    const pair = fakePair();
    pair.ports.servedAt = async () => null;
    const report = await runFailoverDrill(pair.ports, plan);
    expect(report.stoppedBecause).toBe('pc-b did not serve this station within 30 s');
    expect(drillReportText(report, String)).toContain('Result: failed');
  });
});
