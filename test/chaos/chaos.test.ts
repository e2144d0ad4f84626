import { describe, expect, it } from 'vitest';
import { runChaos } from './chaos-pair.js';

describe('a real Server/Standby pair under faults (short series; npm run chaos runs long ones)', () => {
  it('survives a killed Server, a frozen Server and a killed Standby, losing and doubling nothing', async () => {
    const result = await runChaos({ seed: 11, rounds: 3, faults: ['killServer', 'freezeServer', 'killStandby'] });
    expect(result.violations).toEqual([]);
    expect(result.rounds.map((r) => r.fault)).toEqual(['killServer', 'freezeServer', 'killStandby']);
    expect(result.slotsChecked).toBeGreaterThan(50);
  }, 240_000);
});
