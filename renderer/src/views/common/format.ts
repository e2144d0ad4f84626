import type { Quality, TagType } from '../../../../shared/protocol/entities.js';

/** Fixed decimals by magnitude, so a live value does not jitter in width as it changes. */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (Number.isInteger(value)) return String(value);
  const magnitude = Math.abs(value);
  if (magnitude >= 10_000) return value.toFixed(0);
  if (magnitude >= 100) return value.toFixed(1);
  if (magnitude >= 1) return value.toFixed(2);
  return value.toFixed(3);
}

/** Booleans travel as 0 / 1 and are shown as words. */
export function formatValue(value: number | null, type: TagType, unit = ''): string {
  if (value === null) return '—';
  if (type === 'boolean') return value === 0 ? 'off' : 'on';
  const text = formatNumber(value);
  return unit ? `${text} ${unit}` : text;
}

const pad2 = (n: number) => String(n).padStart(2, '0');

/** Local date and time to the second, sortable as text: 2025-11-26 06:53:12. */
export function formatDateTime(ms: number | null): string {
  if (ms === null) return '—';
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad2(d.getMonth() + 1)}-${pad2(d.getDate())} ${formatClock(ms)}`;
}

/** Local date and time to the millisecond, for the event list where order within a second matters. */
export function formatDateTimeMs(ms: number): string {
  return `${formatDateTime(ms)}.${String(new Date(ms).getMilliseconds()).padStart(3, '0')}`;
}

export function formatClock(ms: number): string {
  const d = new Date(ms);
  return `${pad2(d.getHours())}:${pad2(d.getMinutes())}:${pad2(d.getSeconds())}`;
}

export function formatDuration(ms: number): string {
  const seconds = Math.max(0, Math.floor(ms / 1000));
  if (seconds < 120) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 120) return `${minutes} min`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

export const QUALITY_LABEL: Record<Quality, string> = {
  good: 'good',
  bad: 'bad',
  stale: 'stale',
  commError: 'comm error',
};

/** `<input type="datetime-local">` text to Unix ms in local time; null when empty or invalid. */
export function parseLocalDateTime(text: string): number | null {
  if (!text) return null;
  const ms = new Date(text).getTime();
  return Number.isNaN(ms) ? null : ms;
}
