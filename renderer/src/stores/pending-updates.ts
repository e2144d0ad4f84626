import type { AlarmStatus, CelEntry, Position, Sample } from '../../../shared/protocol/entities.js';
import type { ServerMessage } from '../../../shared/protocol/ws.js';
import { CEL_MEMORY_MAX } from './cel-merge.js';
import { laterPosition } from './position.js';

type LiveFrame = Extract<ServerMessage, { type: 'values' | 'alarms' | 'cel' }>;

/**
 * Frames received since the stores were last updated, coalesced so the buffer stays bounded by the
 * number of tags and alarms however fast frames arrive: only the latest sample of a tag and the latest
 * status of an alarm matter to the views.
 */
export interface PendingUpdates {
  values: Map<string, Sample>;
  alarms: Map<string, AlarmStatus>;
  cel: CelEntry[];
  position: Position | null;
}

export function emptyPending(): PendingUpdates {
  return { values: new Map(), alarms: new Map(), cel: [], position: null };
}

export function isPendingEmpty(pending: PendingUpdates): boolean {
  return pending.values.size === 0 && pending.alarms.size === 0 && pending.cel.length === 0 && pending.position === null;
}

export function addFrame(pending: PendingUpdates, frame: LiveFrame): void {
  switch (frame.type) {
    case 'values':
      for (const sample of frame.samples) {
        const held = pending.values.get(sample.tag);
        if (held === undefined || sample.t >= held.t) pending.values.set(sample.tag, sample);
      }
      return;
    case 'alarms':
      for (const alarm of frame.alarms) pending.alarms.set(alarm.alarmId, alarm);
      pending.position = laterPosition(pending.position, frame.position);
      return;
    case 'cel':
      pending.cel.push(...frame.entries);
      if (pending.cel.length > CEL_MEMORY_MAX) pending.cel.splice(0, pending.cel.length - CEL_MEMORY_MAX);
      pending.position = laterPosition(pending.position, frame.position);
      return;
  }
}

/** An alarm status replaces the held one unless it is older (an HTTP reply can race a live frame). */
export function isNewerAlarm(held: AlarmStatus | undefined, incoming: AlarmStatus): boolean {
  return held === undefined || incoming.since >= held.since;
}
