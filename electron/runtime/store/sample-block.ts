/**
 * One tag's samples over a stretch of time, packed into a BLOB: n sample times (float64), then n
 * values (float64), then n quality codes (uint8), oldest first. Part of the file format.
 */
export interface BlockSamples {
  readonly t: ArrayLike<number>;
  readonly v: ArrayLike<number>;
  readonly q: ArrayLike<number>;
}

/** What a bucketed trend needs of a block without opening it: its good samples' count, min, max, sum. */
export interface BlockStats {
  goodCount: number;
  min: number | null;
  max: number | null;
  sum: number | null;
}

/** The quality code of 'good' (sample-archive.ts owns the table of codes). */
export const GOOD_CODE = 0;

const BYTES_PER_SAMPLE = 8 + 8 + 1;

export function encodeBlock(samples: BlockSamples, n: number): Buffer {
  const data = Buffer.allocUnsafe(n * BYTES_PER_SAMPLE);
  for (let i = 0; i < n; i++) {
    data.writeDoubleLE(samples.t[i]!, i * 8);
    data.writeDoubleLE(samples.v[i]!, (n + i) * 8);
    data.writeUInt8(samples.q[i]!, 16 * n + i);
  }
  return data;
}

export function decodeBlock(data: Buffer, n: number): BlockSamples {
  if (data.length !== n * BYTES_PER_SAMPLE) {
    throw new Error(`a sample block of ${n} samples has ${data.length} bytes, expected ${n * BYTES_PER_SAMPLE}: the archive is damaged`);
  }
  const t = new Float64Array(n);
  const v = new Float64Array(n);
  const q = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    t[i] = data.readDoubleLE(i * 8);
    v[i] = data.readDoubleLE((n + i) * 8);
    q[i] = data.readUInt8(16 * n + i);
  }
  return { t, v, q };
}

export function blockStats(samples: BlockSamples, n: number): BlockStats {
  const stats: BlockStats = { goodCount: 0, min: null, max: null, sum: null };
  for (let i = 0; i < n; i++) {
    if (samples.q[i] !== GOOD_CODE) continue;
    const v = samples.v[i]!;
    stats.goodCount += 1;
    stats.min = stats.min === null ? v : Math.min(stats.min, v);
    stats.max = stats.max === null ? v : Math.max(stats.max, v);
    stats.sum = (stats.sum ?? 0) + v;
  }
  return stats;
}
