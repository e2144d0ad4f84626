import type { AlarmCondition } from '../project/project-schema.js';

/**
 * Whether an alarm's process condition holds for a value, with hysteresis: an active limit alarm
 * stays active until the value is back inside the limit by more than the deadband, so a value
 * hovering at the limit does not chatter.
 */
export function conditionHolds(condition: AlarmCondition, wasActive: boolean, value: number): boolean {
  switch (condition.type) {
    case 'binary':
      return value === condition.activeWhen;
    case 'H':
    case 'HH':
      return wasActive ? value > condition.limit - condition.deadband : value > condition.limit;
    case 'L':
    case 'LL':
      return wasActive ? value < condition.limit + condition.deadband : value < condition.limit;
  }
}

/** Maps a raw driver value to engineering units with the tag's linear scaling. */
export function scale(
  raw: number,
  scaling: { rawLow: number; rawHigh: number; euLow: number; euHigh: number } | undefined,
): number {
  if (!scaling) return raw;
  const { rawLow, rawHigh, euLow, euHigh } = scaling;
  return euLow + ((raw - rawLow) * (euHigh - euLow)) / (rawHigh - rawLow);
}
