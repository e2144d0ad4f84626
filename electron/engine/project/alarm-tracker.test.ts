import { describe, expect, it } from 'vitest';
import { parseSimAddress, simValue, type SimSignal } from '../../../shared/domain/sim-signals.js';
import type { AlarmDef } from '../../../shared/project/project-schema.js';
import type { AlarmStatus } from '../../../shared/protocol/entities.js';
import { AlarmTracker, type TrackedChange } from './alarm-tracker.js';

function def(fields: Partial<AlarmDef> = {}): AlarmDef {
  return {
    id: 'Temp.H',
    tag: 'Temp',
    condition: { type: 'H', limit: 80, deadband: 2 },
    text: 'Temperature high',
    priority: 'high',
    class: 'process',
    onDelayMs: 0,
    offDelayMs: 0,
    ...fields,
  };
}

/** A step of a scenario: a sample `[t, value]`, a tick `['tick', t]` or suppression `['suppress', t, on]`. */
type Step = [t: number, value: number] | ['tick', t: number] | ['suppress', t: number, suppressed: boolean];

const line = ({ event, before, after }: TrackedChange): string => `${event.t} ${before.state}->${after.state}`;

function drive(tracker: AlarmTracker, steps: readonly Step[]): string[] {
  return steps.flatMap((step) => {
    if (step[0] === 'tick') return tracker.onTick(step[1]).map(line);
    if (step[0] === 'suppress') return tracker.onSuppression(step[1], step[2]).map(line);
    return tracker.onValue(step[0], step[1]).map(line);
  });
}

const timeOf = (step: Step): number => (typeof step[0] === 'number' ? step[0] : step[1]);

const HIGH = 90;
const LOW = 50;

describe('AlarmTracker: on-delay', () => {
  const onDelay = def({ onDelayMs: 500 });
  it.each<{ name: string; steps: Step[]; expected: string[]; alarm?: AlarmDef }>([
    { name: 'no delay: active at the sample that crosses', alarm: def(), steps: [[1_000, HIGH]], expected: ['1000 normal->unackActive'] },
    { name: 'active when the delay was met, though the next sample comes later', steps: [[1_000, HIGH], [1_700, HIGH]], expected: ['1500 normal->unackActive'] },
    { name: 'active when the delay was met, noticed by a tick', steps: [[1_000, HIGH], ['tick', 1_400], ['tick', 1_600]], expected: ['1500 normal->unackActive'] },
    { name: 'a condition that lasts exactly the delay activates', steps: [[1_000, HIGH], [1_500, HIGH]], expected: ['1500 normal->unackActive'] },
    { name: 'a condition shorter than the delay never activates', steps: [[1_000, HIGH], [1_400, LOW], ['tick', 1_600], [1_700, HIGH], [2_100, LOW], ['tick', 9_000]], expected: [] },
    { name: 'the delay restarts after a flicker', steps: [[1_000, HIGH], [1_200, LOW], [1_400, HIGH], ['tick', 1_800], ['tick', 1_900]], expected: ['1900 normal->unackActive'] },
    { name: 'a condition held past the delay and gone at the next sample still alarms, then returns', steps: [[1_000, HIGH], [1_700, LOW]], expected: ['1500 normal->unackActive', '1700 unackActive->unackRtn'] },
    { name: 'ticks without any sample do nothing', steps: [['tick', 1_000], ['tick', 90_000]], expected: [] },
  ])('$name', ({ steps, expected, alarm = onDelay }) => {
    expect(drive(AlarmTracker.fresh(alarm, 0), steps)).toEqual(expected);
  });

  it.each<{ name: string; next: Step }>([
    { name: 'a tick', next: ['tick', 1_600] },
    { name: 'a later sample', next: [1_700, 93] },
  ])('noticed by $name, the activation carries its time and the value last seen before it', ({ next }) => {
    const tracker = AlarmTracker.fresh(onDelay, 0);
    tracker.onValue(1_000, 91);
    drive(tracker, [next]);
    expect(tracker.state).toMatchObject({ state: 'unackActive', since: 1_500, activeSince: 1_500, value: 91 });
  });
});

describe('AlarmTracker: off-delay and hysteresis', () => {
  const offDelay = def({ offDelayMs: 1_000 });
  it.each<{ name: string; steps: Step[]; expected: string[] }>([
    { name: 'returns when the off-delay was met, noticed by a tick', steps: [[1_000, HIGH], [2_000, LOW], ['tick', 2_900], ['tick', 3_100]], expected: ['1000 normal->unackActive', '3000 unackActive->unackRtn'] },
    { name: 'returns when the off-delay was met, noticed by a later sample', steps: [[1_000, HIGH], [2_000, LOW], [3_400, LOW]], expected: ['1000 normal->unackActive', '3000 unackActive->unackRtn'] },
    { name: 'a dip shorter than the off-delay keeps the alarm active', steps: [[1_000, HIGH], [2_000, LOW], [2_500, HIGH], ['tick', 3_500]], expected: ['1000 normal->unackActive'] },
    { name: 'the off-delay restarts after a dip', steps: [[1_000, HIGH], [2_000, LOW], [2_500, HIGH], [3_000, LOW], ['tick', 3_900], ['tick', 4_000]], expected: ['1000 normal->unackActive', '4000 unackActive->unackRtn'] },
    { name: 'a value inside the deadband does not start the off-delay', steps: [[1_000, HIGH], [2_000, 79], ['tick', 9_000]], expected: ['1000 normal->unackActive'] },
  ])('$name', ({ steps, expected }) => {
    expect(drive(AlarmTracker.fresh(offDelay, 0), steps)).toEqual(expected);
  });

  it('hysteresis without delays: one alarm for a value hovering at the limit', () => {
    const steps: Step[] = [[100, 79], [200, 81], [300, 79], [400, 81], [500, 78.5], [600, 78], [700, 80.5]];
    expect(drive(AlarmTracker.fresh(def(), 0), steps)).toEqual(['200 normal->unackActive', '600 unackActive->unackRtn', '700 unackRtn->unackActive']);
  });
});

describe('AlarmTracker: shelving expiry', () => {
  function shelvedUntil(tracker: AlarmTracker, t: number, untilMs: number): AlarmTracker {
    const result = tracker.onOperator({ kind: 'shelve', t, user: 'bob', comment: '', untilMs });
    if (typeof result === 'string') throw new Error(result);
    return tracker;
  }

  it.each<{ name: string; alarm: AlarmDef; before: Step[]; after: Step[]; expected: string[] }>([
    { name: 'expires at its end time, noticed by a tick', alarm: def(), before: [], after: [['tick', 9_999], ['tick', 10_400]], expected: ['10000 shelved->normal'] },
    { name: 'a condition active at expiry is annunciated then', alarm: def(), before: [], after: [[5_000, HIGH], ['tick', 10_400]], expected: ['10000 shelved->unackActive'] },
    { name: 'a sample after the expiry, before any tick, first ends the shelving', alarm: def(), before: [], after: [[10_300, HIGH]], expected: ['10000 shelved->normal', '10300 normal->unackActive'] },
    { name: 'an on-delay met after the expiry is dated after it', alarm: def({ onDelayMs: 500 }), before: [], after: [[9_800, HIGH], ['tick', 10_400]], expected: ['10000 shelved->normal', '10300 normal->unackActive'] },
    { name: 'an on-delay met before the expiry counts at the expiry', alarm: def({ onDelayMs: 500 }), before: [], after: [[9_000, HIGH], ['tick', 10_400]], expected: ['10000 shelved->unackActive'] },
    { name: 'suppression that starts after the expiry, before any tick, comes after it', alarm: def(), before: [[500, HIGH]], after: [['suppress', 10_200, true]], expected: ['10000 shelved->unackActive', '10200 unackActive->suppressed'] },
  ])('$name', ({ alarm, before, after, expected }) => {
    const tracker = AlarmTracker.fresh(alarm, 0);
    drive(tracker, before);
    expect(drive(shelvedUntil(tracker, 1_000, 10_000), after)).toEqual(expected);
  });
});

describe('AlarmTracker: the same samples give the same transitions however often time ticks', () => {
  const noise = parseSimAddress('noise?periodMs=4000&amplitude=15&offset=78&seed=3') as SimSignal;
  const samples: Step[] = Array.from({ length: 600 }, (_, i): Step => [i * 250, simValue(noise, i * 250)]);
  const END = 150_000;
  const withTicks = (everyMs: number): Step[] => {
    const ticks: Step[] = Array.from({ length: Math.floor(END / everyMs) }, (_, i): Step => ['tick', (i + 1) * everyMs]);
    return [...samples, ...ticks].sort((a, b) => timeOf(a) - timeOf(b));
  };
  const alarm = def({ onDelayMs: 700, offDelayMs: 400 });

  it('samples alone, ticks every 100 ms and ticks every 3 s agree', () => {
    const alone = drive(AlarmTracker.fresh(alarm, 0), [...samples, ['tick', END]]);
    expect(alone.length).toBeGreaterThan(6);
    expect(drive(AlarmTracker.fresh(alarm, 0), withTicks(100))).toEqual(alone);
    expect(drive(AlarmTracker.fresh(alarm, 0), withTicks(3_000))).toEqual(alone);
  });
});

describe('AlarmTracker: restored from a stored status', () => {
  const stored = (fields: Partial<AlarmStatus>): AlarmStatus => ({
    alarmId: 'Temp.H', tag: 'Temp', text: 'Temperature high', priority: 'high', alarmClass: 'process',
    state: 'normal', conditionActive: false, since: 0, activeSince: null, value: null, ackUser: null, ackComment: null, shelvedUntil: null,
    ...fields,
  });

  it.each<{ name: string; status: Partial<AlarmStatus>; steps: Step[]; expected: string[] }>([
    { name: 'an active alarm returns when its value drops', status: { state: 'unackActive', conditionActive: true, since: 500, activeSince: 500 }, steps: [[2_000, LOW]], expected: ['2000 unackActive->unackRtn'] },
    { name: 'an active alarm is not re-raised by the same condition', status: { state: 'ackActive', conditionActive: true, since: 500, activeSince: 400 }, steps: [[2_000, HIGH]], expected: [] },
    { name: 'hysteresis continues: a value inside the deadband keeps it active', status: { state: 'unackActive', conditionActive: true, since: 500, activeSince: 500 }, steps: [[2_000, 79]], expected: [] },
    { name: 'a shelving still expires', status: { state: 'shelved', conditionActive: true, since: 500, shelvedUntil: 3_000 }, steps: [['tick', 3_100]], expected: ['3000 shelved->unackActive'] },
    { name: 'a suppressed alarm is released by its suppressing tag', status: { state: 'suppressed', conditionActive: false, since: 500 }, steps: [['suppress', 2_000, false]], expected: ['2000 suppressed->normal'] },
  ])('$name', ({ status, steps, expected }) => {
    expect(drive(AlarmTracker.restored(def(), stored(status)), steps)).toEqual(expected);
  });
});
