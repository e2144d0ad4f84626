/**
 * The samples of one tag not sealed into a block yet, oldest first, held in memory. They are durable
 * already: the samples ops that carried them are in the log, from which `SampleArchive` rebuilds its
 * open blocks at start (it never seals while rebuilding, so the rebuild is exact).
 */
export class OpenBlock {
  readonly t: number[] = [];
  readonly v: number[] = [];
  readonly q: number[] = [];

  /**
   * @param firstSeq the seq of the op that opened the block: the log must keep every samples op from
   *   the smallest firstSeq of all open blocks on.
   * @param capacity the samples after which the block is sealed.
   */
  constructor(
    readonly firstSeq: number,
    readonly capacity: number,
  ) {}

  get size(): number {
    return this.t.length;
  }

  get firstT(): number {
    return this.t[0]!;
  }

  get lastT(): number {
    return this.t.at(-1)!;
  }

  /** The time span the block would cover with a sample at t. */
  spanWith(t: number): number {
    if (this.size === 0) return 0;
    return Math.max(this.lastT, t) - Math.min(this.firstT, t);
  }

  /** Adds a sample in time order; false (and nothing changes) if the slot t is taken. */
  add(t: number, v: number, q: number): boolean {
    const at = this.#insertionPoint(t);
    if (at < 0) return false;
    if (at === this.size) {
      this.t.push(t);
      this.v.push(v);
      this.q.push(q);
    } else {
      this.t.splice(at, 0, t);
      this.v.splice(at, 0, v);
      this.q.splice(at, 0, q);
    }
    return true;
  }

  /** The samples with from <= t <= to, oldest first. */
  *between(from: number, to: number): Generator<[number, number, number]> {
    for (let i = 0; i < this.size; i++) {
      const t = this.t[i]!;
      if (t > to) return;
      if (t >= from) yield [t, this.v[i]!, this.q[i]!];
    }
  }

  /** Where a sample at t goes, or -1 if a sample at t is there. Appending is the common case. */
  #insertionPoint(t: number): number {
    const n = this.size;
    if (n === 0 || t > this.t[n - 1]!) return n;
    let low = 0;
    let high = n;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (this.t[mid]! < t) low = mid + 1;
      else high = mid;
    }
    return this.t[low] === t ? -1 : low;
  }
}
