import { conditionHolds } from '../../../shared/domain/alarm-condition.js';
import { applyAlarmEvent, normalAlarm, type AlarmCore, type AlarmEvent } from '../../../shared/domain/alarm-machine.js';
import type { AlarmDef } from '../../../shared/project/project-schema.js';
import type { AlarmStatus } from '../../../shared/protocol/entities.js';

/** A condition change waiting for its on- or off-delay to pass. */
interface Pending {
  active: boolean;
  since: number;
}

export interface TrackedChange {
  event: AlarmEvent;
  before: AlarmCore;
  after: AlarmCore;
}

/**
 * One alarm at run time: its definition, its ISA-18.2 state and the delay bookkeeping that turns
 * raw limit crossings into condition changes. A condition change that waited for a delay is dated
 * when the delay was met, not when the tracker noticed, so replayed samples give the same times.
 */
export class AlarmTracker {
  private pending: Pending | null = null;
  private lastValue: number | null = null;

  constructor(
    readonly def: AlarmDef,
    private core: AlarmCore,
  ) {}

  static fresh(def: AlarmDef, t: number): AlarmTracker {
    return new AlarmTracker(def, normalAlarm(t));
  }

  static restored(def: AlarmDef, status: AlarmStatus): AlarmTracker {
    return new AlarmTracker(def, {
      state: status.state,
      conditionActive: status.conditionActive,
      suppressedByDesign: status.state === 'suppressed',
      since: status.since,
      activeSince: status.activeSince,
      value: status.value,
      ackUser: status.ackUser,
      ackComment: status.ackComment,
      shelvedUntil: status.shelvedUntil,
    });
  }

  get state(): AlarmCore {
    return this.core;
  }

  /** A good sample of the alarm's tag. What fell due before it is settled first, as a tick would. */
  onValue(t: number, value: number): TrackedChange[] {
    const due = this.onTick(t);
    this.lastValue = value;
    const holds = conditionHolds(this.def.condition, this.core.conditionActive, value);
    if (holds === this.core.conditionActive) {
      this.pending = null;
      return due;
    }
    const delayMs = holds ? this.def.onDelayMs : this.def.offDelayMs;
    if (!this.pending || this.pending.active !== holds) this.pending = { active: holds, since: t };
    if (t - this.pending.since < delayMs) return due;
    const at = this.pending.since + delayMs;
    this.pending = null;
    return [...due, ...this.apply({ kind: 'condition', t: at, active: holds, value })];
  }

  /**
   * Time passing: delays that ran out without a new sample, and shelving that expired, applied in
   * the order they fell due. Samples replayed without ticks in between therefore give the same
   * transitions as live ones.
   */
  onTick(nowMs: number): TrackedChange[] {
    const changes: TrackedChange[] = [];
    for (let event = this.nextDue(nowMs); event; event = this.nextDue(nowMs)) changes.push(...this.apply(event));
    return changes;
  }

  onSuppression(t: number, suppressed: boolean): TrackedChange[] {
    return [...this.onTick(t), ...this.apply({ kind: 'suppression', t, suppressed })];
  }

  /** An operator event; returns the refusal reason instead of changes when the machine refuses. */
  onOperator(event: AlarmEvent): TrackedChange[] | string {
    const step = applyAlarmEvent(this.core, event);
    if (!step.ok) return step.reason;
    return this.commit(event, step.next, step.changed);
  }

  /** The earliest delayed condition change or shelving expiry due by `nowMs`, taken off the books. */
  private nextDue(nowMs: number): AlarmEvent | null {
    const until = this.core.state === 'shelved' ? this.core.shelvedUntil : null;
    if (this.pending && this.lastValue !== null) {
      const { active } = this.pending;
      const at = this.pending.since + (active ? this.def.onDelayMs : this.def.offDelayMs);
      if (at <= nowMs && (until === null || at <= until)) {
        this.pending = null;
        return { kind: 'condition', t: at, active, value: this.lastValue };
      }
    }
    return until !== null && until <= nowMs ? { kind: 'unshelve', t: until } : null;
  }

  private apply(event: AlarmEvent): TrackedChange[] {
    const step = applyAlarmEvent(this.core, event);
    return step.ok ? this.commit(event, step.next, step.changed) : [];
  }

  private commit(event: AlarmEvent, next: AlarmCore, changed: boolean): TrackedChange[] {
    const before = this.core;
    this.core = next;
    return changed ? [{ event, before, after: next }] : [];
  }
}
