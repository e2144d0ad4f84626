import type { AlarmPriority, AlarmState } from '../../../../shared/protocol/entities.js';
import { isUnacknowledgedState } from '../../stores/alarm-counts.js';

export const PRIORITY_LABEL: Record<AlarmPriority, string> = {
  urgent: 'Urgent',
  high: 'High',
  medium: 'Medium',
  low: 'Low',
};

/** ISA-101 pairs each priority colour with a number, so it reads without colour vision too. */
const PRIORITY_NUMBER: Record<AlarmPriority, number> = { urgent: 1, high: 2, medium: 3, low: 4 };

export const STATE_LABEL: Record<AlarmState, string> = {
  normal: 'Normal',
  unackActive: 'Active, unack',
  ackActive: 'Active, ack',
  unackRtn: 'Cleared, unack',
  shelved: 'Shelved',
  suppressed: 'Suppressed',
};

export interface PriorityMarkerProps {
  priority: AlarmPriority;
  /** Blinks: the one animation the screen has, reserved for alarms awaiting acknowledgement. */
  unacknowledged?: boolean;
  /** Grey instead of the priority colour: nothing abnormal needs attention (normal, shelved, history). */
  muted?: boolean;
  label?: boolean;
}

export function PriorityMarker({ priority, unacknowledged = false, muted = false, label = true }: PriorityMarkerProps) {
  return (
    <span className="prio-cell">
      <span
        className={`prio prio-${muted ? 'muted' : priority}${unacknowledged ? ' unack' : ''}`}
        title={`${PRIORITY_LABEL[priority]}${unacknowledged ? ', unacknowledged' : ''}`}
      >
        {PRIORITY_NUMBER[priority]}
      </span>
      {label ? <span>{PRIORITY_LABEL[priority]}</span> : null}
    </span>
  );
}

/** How the alarm list marks an alarm in a given state. */
export function markerForState(state: AlarmState): { unacknowledged: boolean; muted: boolean } {
  return {
    unacknowledged: isUnacknowledgedState(state),
    muted: state === 'shelved' || state === 'suppressed' || state === 'normal',
  };
}
