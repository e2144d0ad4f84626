import { describe, expect, it } from 'vitest';
import { addSwitchover, SWITCHOVERS_MAX, switchoverText, switchoverTo } from './switchovers.js';

describe('switchovers', () => {
  it('is one only when another node serves than before', () => {
    expect(switchoverTo(null, { node: 'pc-a', epoch: 4 }, 1, null)).toBeNull();
    expect(switchoverTo({ node: 'pc-a', epoch: 4 }, { node: 'pc-a', epoch: 6 }, 1, null)).toBeNull();
    expect(switchoverTo({ node: 'pc-a', epoch: 4 }, { node: 'pc-b', epoch: 5 }, 7, 'pc-a silent for 512 ms')).toEqual({
      atMs: 7,
      from: 'pc-a',
      to: 'pc-b',
      epoch: 5,
      reason: 'pc-a silent for 512 ms',
    });
  });

  it('says from where to where, when and why', () => {
    const s = { atMs: 0, from: 'pc-a', to: 'pc-b', epoch: 5, reason: 'pc-a silent for 512 ms' };
    expect(switchoverText(s, () => '08:12:03')).toBe('Switched from pc-a to pc-b at 08:12:03 — pc-a silent for 512 ms');
    expect(switchoverText({ ...s, reason: null }, () => '08:12:03')).toBe('Switched from pc-a to pc-b at 08:12:03');
  });

  it('keeps the newest few', () => {
    let list: ReturnType<typeof addSwitchover> = [];
    for (let i = 0; i < SWITCHOVERS_MAX + 3; i++) list = addSwitchover(list, { atMs: i, from: 'pc-a', to: 'pc-b', epoch: i, reason: null });
    expect(list).toHaveLength(SWITCHOVERS_MAX);
    expect(list[0]!.atMs).toBe(SWITCHOVERS_MAX + 2);
  });
});
