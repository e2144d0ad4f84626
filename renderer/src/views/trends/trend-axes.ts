const pad2 = (n: number) => String(n).padStart(2, '0');

/**
 * 24-hour tick labels. The date goes under the ticks where the day changes, or under the first tick
 * when the whole range lies within one day, so two dates never crowd each other.
 */
export function timeTickLabels(ticksMs: readonly number[], stepMs: number): string[] {
  const days = ticksMs.map((ms) => {
    const d = new Date(ms);
    return `${d.getFullYear()}-${pad2(d.getMonth() + 1)}-${pad2(d.getDate())}`;
  });
  const oneDay = days.every((day) => day === days[0]);
  return ticksMs.map((ms, i) => {
    const d = new Date(ms);
    const clock = `${pad2(d.getHours())}:${pad2(d.getMinutes())}${stepMs < 60_000 ? `:${pad2(d.getSeconds())}` : ''}`;
    const showDate = oneDay ? i === 0 : i > 0 && days[i] !== days[i - 1];
    return showDate ? `${clock}\n${days[i]}` : clock;
  });
}

/** One number of decimals for all ticks of an axis, as many as the finest tick needs (at most 6). */
export function valueTickLabels(ticks: readonly number[]): string[] {
  const decimals = Math.max(0, ...ticks.map((t) => (String(Number(t.toFixed(6))).split('.')[1] ?? '').length));
  return ticks.map((t) => t.toFixed(decimals));
}

/** Width an axis needs for its longest label at ~7.5 px per character, plus the tick and gap. */
export function axisWidthPx(labels: readonly string[] | null | undefined): number {
  const longest = Math.max(1, ...(labels ?? []).map((label) => label.length));
  return Math.min(140, Math.ceil(24 + longest * 7.5));
}
