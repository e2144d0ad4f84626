import type { DriverStatus } from '../../../../shared/protocol/entities.js';

/** Each node reads the drivers itself: how that goes on it, in one line. */
export function driverSummary(drivers: readonly DriverStatus[]): string {
  const connected = drivers.filter((d) => d.state === 'connected').length;
  const bad = drivers.reduce((sum, d) => sum + d.badTags, 0);
  const stale = drivers.reduce((sum, d) => sum + d.staleTags, 0);
  const errors = drivers.reduce((sum, d) => sum + d.errorsPerMinute, 0);
  return `${connected}/${drivers.length} connected · ${bad} bad · ${stale} stale · ${errors} errors/min`;
}

export function driversUnhealthy(drivers: readonly DriverStatus[]): boolean {
  return drivers.some((d) => d.state !== 'connected' || d.badTags > 0 || d.staleTags > 0);
}
