import { describe, expect, it } from 'vitest';
import { runSimulation, type ScriptedFault } from './sim-cluster.js';

const run = (script: ScriptedFault[], durationMs = 40_000) => runSimulation({ seed: 3, durationMs, mode: 'liveness', script });

describe('scripted redundancy scenarios (deterministic simulation)', () => {
  it('the Server dies: the Standby takes over, fills the gap from its buffer, and the old Server returns and takes its role back', () => {
    const result = run([{ atMs: 10_000, crash: 'server', restartAfterMs: 5_000 }]);
    expect(result.violations).toEqual([]);
    const takeover = result.roleChanges.find((c) => c.node === 'pc-b' && c.role === 'server');
    expect(takeover?.reason).toMatch(/pc-a silent for \d+ ms/);
    expect(takeover!.atMs - result.startMs - 10_000).toBeLessThanOrEqual(1_100);
    expect(result.roleChanges.filter((c) => c.node === 'pc-a' && c.role === 'server').at(-1)?.reason).toMatch(/planned switchover/);
  });

  it('the Standby dies: the Server carries on, and the Standby aligns when it returns', () => {
    const result = run([{ atMs: 10_000, crash: 'standby', restartAfterMs: 8_000 }]);
    expect(result.violations).toEqual([]);
    expect(result.roleChanges.filter((c) => c.role === 'server').map((c) => c.node)).toEqual(['pc-a']);
  });

  it('a partition both ways with no witness: both serve in different epochs, then merge without loss', () => {
    const result = run([{ atMs: 10_000, cut: 'both', healAfterMs: 4_000 }]);
    expect(result.violations).toEqual([]);
    const servers = result.roleChanges.filter((c) => c.role === 'server');
    expect(new Set(servers.map((c) => c.epoch)).size).toBe(servers.length);
    expect(servers.map((c) => c.node)).toContain('pc-b');
  });

  it('a one-way cut (the Server hears the Standby, not the other way): the Standby takes over and the Server steps down', () => {
    const result = run([{ atMs: 10_000, cut: 'a>b', healAfterMs: 3_000 }]);
    expect(result.violations).toEqual([]);
    expect(result.roleChanges.some((c) => c.node === 'pc-a' && c.role === 'aligning' && /higher epoch/.test(c.reason))).toBe(true);
  });

  it('the Standby stands still for 3 s (a long synchronous write) while the Server is healthy: no promotion, no new epoch', () => {
    const result = run([{ atMs: 10_000, stall: 'standby', forMs: 3_000 }]);
    expect(result.violations).toEqual([]);
    expect(result.faults).toEqual(['10000: stall pc-b for 3000 ms']);
    expect(result.roleChanges.filter((c) => c.atMs - result.startMs >= 10_000)).toEqual([]);
    const servingEpoch = result.roleChanges.filter((c) => c.role === 'server').at(-1)?.epoch;
    expect(result.nodes.map((n) => [n.engine?.role, n.store.epoch])).toEqual([
      ['server', servingEpoch],
      ['standby', servingEpoch],
    ]);
  });

  it('the Server stands still for 3 s: the Standby takes over, and the old Server steps down as it runs again', () => {
    const result = run([{ atMs: 10_000, stall: 'server', forMs: 3_000 }]);
    expect(result.violations).toEqual([]);
    const after = result.roleChanges.filter((c) => c.atMs - result.startMs >= 10_000);
    expect(after[0]).toMatchObject({ node: 'pc-b', role: 'server', reason: expect.stringMatching(/pc-a silent for \d+ ms$/) });
    expect(after[1]).toMatchObject({ node: 'pc-a', role: 'aligning', reason: expect.stringMatching(/higher epoch/) });
    expect(after[1]!.atMs - result.startMs).toBe(13_000);
  });

  it('the Server dies twice in a row, each time after the pair was whole again', () => {
    const result = run(
      [
        { atMs: 8_000, crash: 'server', restartAfterMs: 2_000 },
        { atMs: 20_000, crash: 'server', restartAfterMs: 2_000 },
      ],
      50_000,
    );
    expect(result.violations).toEqual([]);
  });
});

describe('randomised simulation (seeded)', () => {
  it('holds every invariant over 250 seeds in safety mode and 250 in liveness mode', () => {
    const failures: string[] = [];
    for (let seed = 1; seed <= 250; seed++) {
      for (const mode of ['safety', 'liveness'] as const) {
        const { violations } = runSimulation({ seed, durationMs: 60_000, mode });
        if (violations.length > 0) failures.push(`seed ${seed} ${mode}: ${violations.join('; ')} (replay: npm run sim -- --seed ${seed} --mode ${mode})`);
      }
    }
    expect(failures).toEqual([]);
  });

  it('replays a seed exactly', () => {
    const first = runSimulation({ seed: 42, durationMs: 30_000, mode: 'liveness' });
    const again = runSimulation({ seed: 42, durationMs: 30_000, mode: 'liveness' });
    expect(again.roleChanges).toEqual(first.roleChanges);
    expect(again.nodes.map((n) => n.store.stateHash())).toEqual(first.nodes.map((n) => n.store.stateHash()));
  });

  it('reports a run that lost a confirmed command (the checker can fail)', () => {
    const result = runSimulation({ seed: 7, durationMs: 30_000, mode: 'liveness', sabotage: 'dropConfirmedCommand' });
    expect(result.violations.join('\n')).toMatch(/confirmed command .* missing/);
  });
});
