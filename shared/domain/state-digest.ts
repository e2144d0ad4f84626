import type { Sample } from '../protocol/entities.js';

/** Above every UTF-16 code unit, so these words can never be confused with the text of a key. */
const KIND_KEY = 0x1_0001;
const KIND_SAMPLE = 0x1_0002;
const END_OF_TEXT = 0x1_0003;

const TWO_POW_32 = 0x1_0000_0000;
const floatBits = new DataView(new ArrayBuffer(8));

/**
 * Order-independent digest of a set of facts: two nodes that hold the same facts show the same hex
 * string however the facts arrived (order, batching, replays). Each fact is hashed into two
 * independent 32-bit lanes (multiply / xor-shift over 16-bit code units and 32-bit words, with the FNV
 * and murmur2 primes, each finished by murmur3's fmix32), which are summed mod 2^32. Sums, not XOR, so a fact counted twice (a bug) shows instead of
 * cancelling out. Non-cryptographic: it detects divergence, not tampering.
 */
export class StateDigest {
  #laneA = 0;
  #laneB = 0;
  #hashA = 0;
  #hashB = 0;

  /** A fact named by a unique key (an op id). */
  add(key: string): void {
    this.#start(KIND_KEY);
    this.#text(key);
    this.#finish(1);
  }

  /** Takes back a fact added with `add` (a log suffix truncated after a split brain). */
  remove(key: string): void {
    this.#start(KIND_KEY);
    this.#text(key);
    this.#finish(-1);
  }

  /**
   * An archived sample: the slot (tag, t) with its value and quality, so the same slot with another
   * value is another fact. Hashes the numbers' bits rather than their text: this runs for every
   * archived sample.
   */
  addSample(sample: Sample): void {
    this.#start(KIND_SAMPLE);
    this.#text(sample.tag);
    this.#word(sample.t >>> 0);
    this.#word(Math.floor(sample.t / TWO_POW_32));
    // -0 becomes 0 on its way through JSON to the peer; both must hash alike.
    floatBits.setFloat64(0, sample.v === 0 ? 0 : sample.v);
    this.#word(floatBits.getUint32(0));
    this.#word(floatBits.getUint32(4));
    this.#text(sample.q);
    this.#finish(1);
  }

  toHex(): string {
    return hex32(this.#laneA) + hex32(this.#laneB);
  }

  clone(): StateDigest {
    return StateDigest.fromHex(this.toHex());
  }

  static fromHex(hex: string): StateDigest {
    if (!/^[0-9a-f]{16}$/.test(hex)) throw new Error(`a state digest is 16 lower-case hex digits, got "${hex}"`);
    const digest = new StateDigest();
    digest.#laneA = Number.parseInt(hex.slice(0, 8), 16);
    digest.#laneB = Number.parseInt(hex.slice(8), 16);
    return digest;
  }

  #start(kind: number): void {
    this.#hashA = 0x811c9dc5;
    this.#hashB = 0x9747b28c;
    this.#word(kind);
  }

  #text(text: string): void {
    for (let i = 0; i < text.length; i++) this.#word(text.charCodeAt(i));
    this.#word(END_OF_TEXT);
  }

  #word(word: number): void {
    // The xor-shift after each multiply carries high bits down, so no two input bits can cancel out.
    const a = Math.imul(this.#hashA ^ word, 0x01000193);
    this.#hashA = a ^ (a >>> 13);
    const b = Math.imul(this.#hashB ^ word, 0x5bd1e995);
    this.#hashB = b ^ (b >>> 15);
  }

  #finish(sign: 1 | -1): void {
    this.#laneA = (this.#laneA + sign * finalMix(this.#hashA)) >>> 0;
    this.#laneB = (this.#laneB + sign * finalMix(this.#hashB)) >>> 0;
  }
}

/** murmur3's fmix32: spreads every input bit over the whole word. */
function finalMix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

function hex32(n: number): string {
  return n.toString(16).padStart(8, '0');
}
