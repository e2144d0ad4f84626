import { describe, expect, it } from 'vitest';
import type { Sample } from '../protocol/entities.js';
import { StateDigest } from './state-digest.js';

function digestOf(keys: readonly string[]): string {
  const digest = new StateDigest();
  keys.forEach((key) => digest.add(key));
  return digest.toHex();
}

const keys = Array.from({ length: 1000 }, (_, i) => `fact-${i}`);

describe('StateDigest', () => {
  it('is 16 zero digits for no facts', () => {
    expect(new StateDigest().toHex()).toBe('0000000000000000');
  });

  it('does not depend on the order facts are added in', () => {
    const permuted = keys.map((_, i) => keys[(i * 7919) % keys.length]!);
    const reversed = [...keys].reverse();
    const interleaved = keys.filter((_, i) => i % 2 === 1).concat(keys.filter((_, i) => i % 2 === 0));
    expect(new Set(permuted).size).toBe(keys.length);
    expect(digestOf(permuted)).toBe(digestOf(keys));
    expect(digestOf(reversed)).toBe(digestOf(keys));
    expect(digestOf(interleaved)).toBe(digestOf(keys));
  });

  it('tells apart sets that differ by one fact', () => {
    const seen = new Set(keys.map((_, i) => digestOf(keys.filter((__, j) => j !== i))));
    expect(seen.size).toBe(keys.length);
    expect(digestOf(['a', 'b'])).not.toBe(digestOf(['a', 'c']));
    expect(digestOf(['ab'])).not.toBe(digestOf(['ba']));
  });

  it('counts a fact added twice, so a double apply shows', () => {
    expect(digestOf(['a', 'a'])).not.toBe(digestOf(['a']));
    expect(digestOf(['a', 'a'])).not.toBe(digestOf([]));
  });

  it('resumes from its hex form as if never interrupted', () => {
    const resumed = StateDigest.fromHex(digestOf(keys.slice(0, 500)));
    keys.slice(500).forEach((key) => resumed.add(key));
    expect(resumed.toHex()).toBe(digestOf(keys));
  });

  it('clones independently of the original', () => {
    const original = new StateDigest();
    original.add('a');
    const copy = original.clone();
    copy.add('b');
    expect(original.toHex()).toBe(digestOf(['a']));
    expect(copy.toHex()).toBe(digestOf(['a', 'b']));
  });

  it('hashes characters beyond Latin-1', () => {
    expect(digestOf(['Überdruck Kessel 1'])).not.toBe(digestOf(['Uberdruck Kessel 1']));
    expect(digestOf(['温度'])).not.toBe(digestOf(['温廣']));
  });

  it('refuses a malformed hex form and names it', () => {
    expect(() => StateDigest.fromHex('xyz')).toThrow('got "xyz"');
    expect(() => StateDigest.fromHex('0123456789ABCDEF')).toThrow(/16 lower-case hex digits/);
  });
});

describe('StateDigest.addSample', () => {
  const sample: Sample = { tag: 'T1', t: 1_700_000_000_123, v: 1.5, q: 'good' };

  function sampleDigest(s: Sample): string {
    const digest = new StateDigest();
    digest.addSample(s);
    return digest.toHex();
  }

  it('makes tag, time, value and quality part of the fact', () => {
    const variants: Sample[] = [
      sample,
      { ...sample, tag: 'T2' },
      { ...sample, t: sample.t + 1 },
      { ...sample, t: sample.t + 2 ** 32 },
      { ...sample, v: 1.25 },
      { ...sample, v: -1.5 },
      { ...sample, q: 'bad' },
    ];
    expect(new Set(variants.map(sampleDigest)).size).toBe(variants.length);
  });

  it('hashes -0 like 0, as JSON delivers it to the peer', () => {
    expect(sampleDigest({ ...sample, v: -0 })).toBe(sampleDigest({ ...sample, v: 0 }));
  });

  it('keeps samples apart from keys that spell them out', () => {
    const keyed = new StateDigest();
    keyed.add('T1');
    expect(sampleDigest(sample)).not.toBe(keyed.toHex());
  });

  it('does not depend on the order samples are added in', () => {
    const samples = Array.from({ length: 500 }, (_, i): Sample => ({ tag: `T${i % 7}`, t: i * 100, v: i / 3, q: 'good' }));
    const forward = new StateDigest();
    const backward = new StateDigest();
    samples.forEach((s) => forward.addSample(s));
    [...samples].reverse().forEach((s) => backward.addSample(s));
    expect(backward.toHex()).toBe(forward.toHex());
  });
});

describe('StateDigest.remove', () => {
  it('takes back exactly the fact that was added, in any order', () => {
    const digest = new StateDigest();
    digest.add('alm/A/1/unackActive');
    const before = digest.toHex();
    digest.add('cmd/req-1');
    digest.add('cel/x');
    digest.remove('cmd/req-1');
    digest.remove('cel/x');
    expect(digest.toHex()).toBe(before);
    digest.remove('alm/A/1/unackActive');
    expect(digest.toHex()).toBe(new StateDigest().toHex());
  });
});
