import { describe, expect, it } from 'vitest';
import type { Sample } from '../../../shared/protocol/entities.js';
import { SampleBuffer } from './sample-buffer.js';

const s = (t: number, tag = 'Counter'): Sample => ({ tag, t, v: t, q: 'good' });
const batch = (...times: number[]) => times.map((t) => s(t));
/** `driver: t,t,t` per batch the buffer would replay. */
const replay = (buffer: SampleBuffer, processedThrough: Record<string, number> = {}): string[] =>
  buffer.after(new Map(Object.entries(processedThrough))).map((b) => `${b.driver}: ${b.samples.map((x) => x.t).join(',')}`);

describe('SampleBuffer window', () => {
  it.each([
    { case: 'keeps a batch that ends exactly at the window edge', newest: 1_100, kept: ['A: 0,100', 'A: 500', 'A: 1100'], oldestMs: 0 },
    { case: 'drops a batch that ends before the window', newest: 1_101, kept: ['A: 500', 'A: 1101'], oldestMs: 500 },
    { case: 'drops every batch older than the window', newest: 1_600, kept: ['A: 1600'], oldestMs: 1_600 },
  ])('$case', ({ newest, kept, oldestMs }) => {
    const buffer = new SampleBuffer(1_000, 100);
    buffer.add('A', batch(0, 100));
    buffer.add('A', batch(500));
    buffer.add('A', batch(newest));
    expect(replay(buffer)).toEqual(kept);
    expect(buffer.oldestMs).toBe(oldestMs);
  });

  it('prunes by the newest sample of any driver', () => {
    const buffer = new SampleBuffer(1_000, 100);
    buffer.add('A', batch(0));
    buffer.add('B', batch(2_000));
    expect(replay(buffer)).toEqual(['B: 2000']);
  });
});

describe('SampleBuffer samples cap', () => {
  it('drops the oldest batches until the count is back under the cap', () => {
    const buffer = new SampleBuffer(60_000, 4);
    buffer.add('A', batch(0, 100, 200));
    expect(buffer.oldestMs).toBe(0);
    buffer.add('A', batch(300, 400));
    expect(replay(buffer)).toEqual(['A: 300,400']);
    expect(buffer.oldestMs).toBe(300);
    buffer.add('A', batch(500, 600));
    expect(replay(buffer)).toEqual(['A: 300,400', 'A: 500,600']);
  });

  it('keeps the newest samples up to the cap while batches keep coming', () => {
    const buffer = new SampleBuffer(60_000, 4);
    for (let t = 0; t < 10; t++) buffer.add('A', batch(t * 100));
    expect(replay(buffer)).toEqual(['A: 600', 'A: 700', 'A: 800', 'A: 900']);
  });
});

describe('SampleBuffer.after (the gap a promoted Standby fills)', () => {
  const filled = () => {
    const buffer = new SampleBuffer(60_000, 1_000);
    buffer.add('A', batch(100, 200));
    buffer.add('B', batch(150, 250));
    buffer.add('A', batch(300, 400));
    buffer.add('B', batch(350));
    return buffer;
  };

  it.each([
    { case: 'nothing processed: everything', through: {}, replayed: ['A: 100,200', 'B: 150,250', 'A: 300,400', 'B: 350'] },
    { case: 'whole older batches are dropped', through: { A: 200, B: 250 }, replayed: ['A: 300,400', 'B: 350'] },
    { case: 'a batch the watermark cuts keeps only the newer samples', through: { A: 300, B: 200 }, replayed: ['B: 250', 'A: 400', 'B: 350'] },
    { case: 'each driver by its own watermark', through: { A: 400 }, replayed: ['B: 150,250', 'B: 350'] },
    { case: 'everything processed: nothing', through: { A: 400, B: 350 }, replayed: [] },
    { case: 'a watermark past the buffer: nothing of that driver', through: { A: 10_000 }, replayed: ['B: 150,250', 'B: 350'] },
  ] as Array<{ case: string; through: Record<string, number>; replayed: string[] }>)('$case', ({ through, replayed }) => {
    expect(replay(filled(), through)).toEqual(replayed);
  });

  it('leaves the buffer itself as it was', () => {
    const buffer = filled();
    replay(buffer, { A: 300 });
    expect(replay(buffer)).toEqual(['A: 100,200', 'B: 150,250', 'A: 300,400', 'B: 350']);
  });
});

describe('SampleBuffer.oldestMs', () => {
  it('is null while empty, after an empty batch and after clear', () => {
    const buffer = new SampleBuffer(1_000, 100);
    expect(buffer.oldestMs).toBeNull();
    buffer.add('A', []);
    expect(buffer.oldestMs).toBeNull();
    buffer.add('A', batch(700, 800));
    expect(buffer.oldestMs).toBe(700);
    buffer.clear();
    expect(buffer.oldestMs).toBeNull();
    expect(replay(buffer)).toEqual([]);
  });

  it('counts from zero again after clear', () => {
    const buffer = new SampleBuffer(60_000, 3);
    buffer.add('A', batch(0, 100, 200));
    buffer.clear();
    buffer.add('A', batch(300, 400, 500));
    expect(replay(buffer)).toEqual(['A: 300,400,500']);
  });
});
