import { describe, expect, it } from 'vitest';
import type { AlarmState } from '../protocol/entities.js';
import { applyAlarmEvent, normalAlarm, type AlarmCore, type AlarmEvent } from './alarm-machine.js';

const on = (t: number, value = 95): AlarmEvent => ({ kind: 'condition', t, active: true, value });
const off = (t: number, value = 20): AlarmEvent => ({ kind: 'condition', t, active: false, value });
const ack = (t: number, user = 'ann', comment = 'seen'): AlarmEvent => ({ kind: 'ack', t, user, comment });
const shelve = (t: number, untilMs = 60_000, user = 'bob'): AlarmEvent => ({ kind: 'shelve', t, user, comment: 'sensor fault', untilMs });
const unshelve = (t: number): AlarmEvent => ({ kind: 'unshelve', t });
const suppress = (t: number, suppressed = true): AlarmEvent => ({ kind: 'suppression', t, suppressed });

/** Runs events from a fresh alarm created at t=0; a refusal fails the test with its reason. */
function run(events: readonly AlarmEvent[], start: AlarmCore = normalAlarm(0)): AlarmCore {
  return events.reduce((core, event) => {
    const step = applyAlarmEvent(core, event);
    if (!step.ok) throw new Error(`${event.kind} at ${event.t} refused: ${step.reason}`);
    return step.next;
  }, start);
}

/** Every start below is reached through the machine itself, never built by hand. */
const STARTS = {
  normal: [],
  unackActive: [on(100)],
  ackActive: [on(100), ack(200)],
  unackRtn: [on(100), off(200)],
  shelvedClear: [shelve(100)],
  shelvedActive: [on(100), shelve(200)],
  shelvedSuppressed: [suppress(100), shelve(200)],
  suppressedClear: [suppress(100)],
  suppressedActive: [on(100), suppress(200)],
} satisfies Record<string, AlarmEvent[]>;
type Start = keyof typeof STARTS;

const T = 5_000;
const EVENTS = {
  conditionOn: on(T),
  conditionOff: off(T),
  ack: ack(T),
  shelve: shelve(T, T + 60_000),
  unshelve: unshelve(T),
  suppressOn: suppress(T, true),
  suppressOff: suppress(T, false),
} satisfies Record<string, AlarmEvent>;
type EventName = keyof typeof EVENTS;

type Expected = AlarmState | { refused: RegExp };
const NOT_IN_ALARM = { refused: /not in alarm/ };
const ALREADY_ACKED = { refused: /already acknowledged/ };
const SHELVED_ACK = { refused: /shelved; unshelve it first/ };
const ALREADY_SHELVED = { refused: /already shelved/ };
const NOT_SHELVED = { refused: /not shelved/ };
const SUPPRESSED_ACK = { refused: /suppressed by design/ };

/** (start, event) -> resulting state or refusal; the Record types make the compiler demand every pair. */
const TABLE: Record<Start, Record<EventName, Expected>> = {
  normal: {
    conditionOn: 'unackActive',
    conditionOff: 'normal',
    ack: NOT_IN_ALARM,
    shelve: 'shelved',
    unshelve: NOT_SHELVED,
    suppressOn: 'suppressed',
    suppressOff: 'normal',
  },
  unackActive: {
    conditionOn: 'unackActive',
    conditionOff: 'unackRtn',
    ack: 'ackActive',
    shelve: 'shelved',
    unshelve: NOT_SHELVED,
    suppressOn: 'suppressed',
    suppressOff: 'unackActive',
  },
  ackActive: {
    conditionOn: 'ackActive',
    conditionOff: 'normal',
    ack: ALREADY_ACKED,
    shelve: 'shelved',
    unshelve: NOT_SHELVED,
    suppressOn: 'suppressed',
    suppressOff: 'ackActive',
  },
  unackRtn: {
    conditionOn: 'unackActive',
    conditionOff: 'unackRtn',
    ack: 'normal',
    shelve: 'shelved',
    unshelve: NOT_SHELVED,
    suppressOn: 'suppressed',
    suppressOff: 'unackRtn',
  },
  shelvedClear: {
    conditionOn: 'shelved',
    conditionOff: 'shelved',
    ack: SHELVED_ACK,
    shelve: ALREADY_SHELVED,
    unshelve: 'normal',
    suppressOn: 'shelved',
    suppressOff: 'shelved',
  },
  shelvedActive: {
    conditionOn: 'shelved',
    conditionOff: 'shelved',
    ack: SHELVED_ACK,
    shelve: ALREADY_SHELVED,
    unshelve: 'unackActive',
    suppressOn: 'shelved',
    suppressOff: 'shelved',
  },
  shelvedSuppressed: {
    conditionOn: 'shelved',
    conditionOff: 'shelved',
    ack: SHELVED_ACK,
    shelve: ALREADY_SHELVED,
    unshelve: 'suppressed',
    suppressOn: 'shelved',
    suppressOff: 'shelved',
  },
  suppressedClear: {
    conditionOn: 'suppressed',
    conditionOff: 'suppressed',
    ack: SUPPRESSED_ACK,
    shelve: 'shelved',
    unshelve: NOT_SHELVED,
    suppressOn: 'suppressed',
    suppressOff: 'normal',
  },
  suppressedActive: {
    conditionOn: 'suppressed',
    conditionOff: 'suppressed',
    ack: SUPPRESSED_ACK,
    shelve: 'shelved',
    unshelve: NOT_SHELVED,
    suppressOn: 'suppressed',
    suppressOff: 'unackActive',
  },
};

const ROWS = (Object.keys(TABLE) as Start[]).flatMap((start) =>
  (Object.keys(TABLE[start]) as EventName[]).map((event) => ({ start, event, expected: TABLE[start][event] })),
);

describe('alarm state machine: every state x event', () => {
  it.each(ROWS)('$start + $event -> $expected', ({ start, event, expected }) => {
    // AlarmCore is flat, so a frozen start proves the machine never mutates its input.
    const before = Object.freeze(run(STARTS[start]));
    const step = applyAlarmEvent(before, EVENTS[event]);
    if (typeof expected !== 'string') {
      expect(step.ok).toBe(false);
      if (!step.ok) expect(step.reason).toMatch(expected.refused);
      return;
    }
    expect(step.ok).toBe(true);
    if (!step.ok) return;
    const moved = expected !== before.state;
    expect(step.next.state).toBe(expected);
    expect(step.changed).toBe(moved);
    expect(step.next.since).toBe(moved ? T : before.since);
  });
});

describe('alarm state machine: sequences', () => {
  it('activate, clear, acknowledge: unackActive -> unackRtn -> normal, each dated', () => {
    const active = run([on(1_000, 91)]);
    expect(active).toMatchObject({ state: 'unackActive', since: 1_000, activeSince: 1_000, conditionActive: true, value: 91 });
    const rtn = run([off(2_000, 70)], active);
    expect(rtn).toMatchObject({ state: 'unackRtn', since: 2_000, activeSince: 1_000, conditionActive: false, value: 70 });
    const normal = run([ack(3_000, 'ann', 'checked valve')], rtn);
    expect(normal).toMatchObject({ state: 'normal', since: 3_000, ackUser: 'ann', ackComment: 'checked valve' });
  });

  it('activate, acknowledge, clear: ackActive -> normal when the condition clears', () => {
    const acked = run([on(1_000), ack(1_500, 'ann')]);
    expect(acked).toMatchObject({ state: 'ackActive', since: 1_500, activeSince: 1_000, ackUser: 'ann' });
    expect(run([off(2_000)], acked)).toMatchObject({ state: 'normal', since: 2_000 });
  });

  it('a value change that does not cross the condition updates the value, not the state or its time', () => {
    const core = run([on(1_000, 91), on(1_100, 93)]);
    expect(core).toMatchObject({ state: 'unackActive', since: 1_000, activeSince: 1_000, value: 93 });
  });

  it('re-alarms from unackRtn with a fresh activeSince', () => {
    const core = run([on(1_000), off(2_000), on(3_000)]);
    expect(core).toMatchObject({ state: 'unackActive', since: 3_000, activeSince: 3_000 });
  });

  it('a new occurrence needs a new acknowledgement: the previous ack is forgotten', () => {
    const core = run([on(1_000), ack(1_500, 'ann', 'ok'), off(2_000), on(3_000)]);
    expect(core).toMatchObject({ state: 'unackActive', activeSince: 3_000, ackUser: null, ackComment: null });
  });

  it('refuses an acknowledgement while shelved and leaves the alarm as it was', () => {
    const shelved = Object.freeze(run([on(1_000), shelve(2_000, 10_000)]));
    const step = applyAlarmEvent(shelved, ack(3_000));
    expect(step).toEqual({ ok: false, reason: 'the alarm is shelved; unshelve it first' });
  });

  it('refuses a shelving that ends now or in the past', () => {
    const active = run([on(1_000)]);
    expect(applyAlarmEvent(active, shelve(2_000, 2_000))).toEqual({ ok: false, reason: 'the shelving must end in the future' });
    expect(applyAlarmEvent(active, shelve(2_000, 1_500))).toEqual({ ok: false, reason: 'the shelving must end in the future' });
  });

  it('shelving records its expiry; unshelving clears it', () => {
    const shelved = run([on(1_000), shelve(2_000, 62_000)]);
    expect(shelved).toMatchObject({ state: 'shelved', since: 2_000, shelvedUntil: 62_000 });
    expect(run([unshelve(3_000)], shelved)).toMatchObject({ shelvedUntil: null });
  });

  it('shelve then unshelve with the condition active: unackActive with a fresh activeSince', () => {
    const core = run([on(1_000), ack(1_200), shelve(2_000, 10_000), unshelve(3_000)]);
    expect(core).toMatchObject({ state: 'unackActive', since: 3_000, activeSince: 3_000, ackUser: null, ackComment: null });
  });

  it('a condition that comes and goes while shelved is not annunciated afterwards', () => {
    const core = run([shelve(1_000, 10_000), on(2_000, 95), off(3_000, 20), unshelve(4_000)]);
    expect(core).toMatchObject({ state: 'normal', since: 4_000, conditionActive: false, value: 20, activeSince: null });
  });

  it('a condition that becomes active while shelved is annunciated when the shelving ends', () => {
    const core = run([shelve(1_000, 10_000), on(2_000, 95), unshelve(4_000)]);
    expect(core).toMatchObject({ state: 'unackActive', since: 4_000, activeSince: 4_000, value: 95 });
  });

  it('suppression that starts while shelved takes over when the shelving ends', () => {
    const shelved = run([on(1_000), shelve(2_000, 10_000), suppress(3_000)]);
    expect(shelved).toMatchObject({ state: 'shelved', since: 2_000, suppressedByDesign: true });
    const suppressed = run([unshelve(4_000)], shelved);
    expect(suppressed).toMatchObject({ state: 'suppressed', since: 4_000, shelvedUntil: null });
    expect(run([suppress(5_000, false)], suppressed)).toMatchObject({ state: 'unackActive', since: 5_000, activeSince: 5_000 });
  });

  it('suppression that ends while shelved leaves the alarm shelved, then plain when unshelved', () => {
    const core = run([suppress(1_000), shelve(2_000, 10_000), suppress(3_000, false), unshelve(4_000)]);
    expect(core).toMatchObject({ state: 'normal', since: 4_000, suppressedByDesign: false });
  });

  it('an acknowledged alarm suppressed and released while still active needs a new acknowledgement', () => {
    const core = run([on(1_000), ack(1_100), suppress(2_000), suppress(3_000, false)]);
    expect(core).toMatchObject({ state: 'unackActive', since: 3_000, activeSince: 3_000, ackUser: null });
  });

  it('an alarm that clears while suppressed returns to normal when released, with its old activeSince', () => {
    const core = run([on(1_000), suppress(2_000), off(2_500), suppress(3_000, false)]);
    expect(core).toMatchObject({ state: 'normal', since: 3_000, conditionActive: false, activeSince: 1_000 });
  });

  it('a fresh alarm is normal since its creation time, never active', () => {
    expect(normalAlarm(42)).toMatchObject({ state: 'normal', since: 42, activeSince: null, conditionActive: false });
  });
});
