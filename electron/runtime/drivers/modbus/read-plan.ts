import type { ModbusArea } from '../../../../shared/project/modbus-address.js';

/** The span of one tag in a table: its first register (or bit) and how many it occupies. */
export interface ReadSpan {
  offset: number;
  count: number;
}

/** One request: `count` registers (or bits) from `offset`, holding the spans at `members` (indices into the input). */
export interface ReadBlock {
  offset: number;
  count: number;
  members: number[];
}

export interface ReadLimits {
  /** Most registers (or bits) one request may ask for. */
  countMax: number;
  /** Most unused registers (or bits) read between two spans to join them in one request. */
  gapMax: number;
}

/**
 * The Modbus limits per request (125 registers, 2,000 bits), and a small gap: a few unused registers
 * cost far less than a second round trip, while a long run of them is likely to hold an address the
 * server refuses.
 */
export const READ_LIMITS: Record<ModbusArea, ReadLimits> = {
  hr: { countMax: 125, gapMax: 4 },
  ir: { countMax: 125, gapMax: 4 },
  co: { countMax: 2_000, gapMax: 16 },
  di: { countMax: 2_000, gapMax: 16 },
};

/** One request per span: what the driver falls back to when a merged read is refused. */
export const SINGLE_READS: ReadLimits = { countMax: 1, gapMax: -Infinity };

/**
 * Groups spans of one table into as few requests as the limits allow: spans sorted by offset join
 * the current request while the gap before them is at most `gapMax` and the request stays within
 * `countMax`. Overlapping spans share registers. A span wider than `countMax` still gets its own request.
 */
export function planReads(spans: readonly ReadSpan[], limits: ReadLimits): ReadBlock[] {
  const order = spans.map((_, i) => i).sort((a, b) => spans[a]!.offset - spans[b]!.offset);
  const blocks: ReadBlock[] = [];
  let current: ReadBlock | null = null;
  for (const i of order) {
    const span = spans[i]!;
    const end = span.offset + span.count;
    if (current) {
      const currentEnd = current.offset + current.count;
      const joinedCount = Math.max(currentEnd, end) - current.offset;
      if (span.offset - currentEnd <= limits.gapMax && joinedCount <= limits.countMax) {
        current.count = joinedCount;
        current.members.push(i);
        continue;
      }
    }
    current = { offset: span.offset, count: span.count, members: [i] };
    blocks.push(current);
  }
  return blocks;
}
