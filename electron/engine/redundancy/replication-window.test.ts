import { describe, expect, it } from 'vitest';
import type { LoggedOp } from '../../../shared/protocol/ops.js';
import { LIVE_IN_FLIGHT_OPS_MAX, ReplicationWindow } from './replication-window.js';

const op = (seq: number): LoggedOp => ({ id: `c/${seq}`, kind: 'cel', t: seq, epoch: 1, seq, cel: { id: `c/${seq}`, t: seq, node: 'a', kind: 'system', user: null, text: '', alarmId: null, tag: null, state: null } });

/** A window in step with its Standby at seq 0, streaming live. */
function liveWindow(): ReplicationWindow {
  const window = new ReplicationWindow();
  expect(window.acknowledged(0, 0, 0)).toBeNull();
  return window;
}

describe('ReplicationWindow', () => {
  it(`streams live until ${LIVE_IN_FLIGHT_OPS_MAX} ops are unacknowledged, then ships the rest per acknowledgement`, () => {
    const window = liveWindow();
    let seq = 0;
    for (; seq < LIVE_IN_FLIGHT_OPS_MAX + 1; seq++) expect(window.stored([op(seq + 1)], seq, true)).toHaveLength(1);
    expect(window.stored([op(seq + 1)], seq, true)).toEqual([]);
    seq += 1;
    for (; seq < 100; seq++) expect(window.stored([op(seq + 1)], seq, true)).toEqual([]);
    // The Standby catches up to what was streamed: the rest goes as one shipment from there.
    expect(window.acknowledged(LIVE_IN_FLIGHT_OPS_MAX + 1, 100, 200)).toBe(LIVE_IN_FLIGHT_OPS_MAX + 1);
    expect(window.acknowledged(100, 100, 300)).toBeNull();
    expect(window.stored([op(101)], 400, true)).toHaveLength(1);
  });

  it('waits four times as long as the Standby last took before shipping again', () => {
    const window = liveWindow();
    window.stored([op(1)], 1_000, true);
    expect(window.acknowledged(1, 1, 1_900)).toBeNull();
    window.stored([op(2)], 2_000, true);
    expect(window.stalled(2, 2_000 + 3_500, 400)).toBeNull();
    expect(window.stalled(2, 2_000 + 3_700, 400)).toBe(1);
  });

  it('ships again after the given patience while the Standby answers fast', () => {
    const window = liveWindow();
    window.stored([op(1)], 1_000, true);
    window.acknowledged(1, 1, 1_010);
    window.stored([op(2)], 2_000, true);
    expect(window.stalled(2, 2_300, 400)).toBeNull();
    expect(window.stalled(2, 2_401, 400)).toBe(1);
  });
});
