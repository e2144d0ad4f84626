import { describe, expect, it } from 'vitest';
import type { TagDef } from '../../../shared/project/project-schema.js';
import type { Quality, Sample } from '../../../shared/protocol/entities.js';
import { ArchiveFilter } from './archive-filter.js';

function tag(id: string, archive: TagDef['archive']): TagDef {
  return { id, description: '', type: 'number', unit: '', driver: 'Sim', address: 'counter', writable: false, archive };
}

const LEVEL = tag('Tank.Level', { enabled: true, deadband: 0.5 });
const EXACT = tag('Counter', { enabled: true, deadband: 0 });
const OFF = tag('Noise', { enabled: false, deadband: 0 });
const sample = (tagId: string, t: number, v: number, q: Quality = 'good'): Sample => ({ tag: tagId, t, v, q });

/** Feeds samples of one tag through a filter and returns the times of the samples it kept. */
function keptTimes(def: TagDef, points: [t: number, v: number, q?: Quality][], restored: Sample[] = []): number[] {
  const filter = new ArchiveFilter(restored);
  return points.filter(([t, v, q]) => filter.keep(def, sample(def.id, t, v, q))).map(([t]) => t);
}

describe('ArchiveFilter', () => {
  it.each<{ name: string; def: TagDef; points: [number, number, Quality?][]; kept: number[]; restored?: Sample[] }>([
    { name: 'keeps the first sample of a tag', def: LEVEL, points: [[100, 40]], kept: [100] },
    { name: 'drops changes within the deadband, measured from the last kept value', def: LEVEL, points: [[100, 40], [200, 40.3], [300, 40.5], [400, 40.6], [500, 40.2]], kept: [100, 400] },
    { name: 'a slow drift is archived once it adds up past the deadband', def: LEVEL, points: [[100, 40], [200, 40.2], [300, 40.4], [400, 40.6], [500, 40.8], [600, 41.0], [700, 41.2]], kept: [100, 400, 700] },
    { name: 'deadband 0 keeps every change and drops repeats', def: EXACT, points: [[100, 1], [200, 1], [300, 2], [400, 2], [500, 1]], kept: [100, 300, 500] },
    { name: 'a quality change is kept even without a value change', def: LEVEL, points: [[100, 40], [200, 40, 'commError'], [300, 40, 'commError'], [400, 40]], kept: [100, 200, 400] },
    { name: 'a tag with archiving disabled keeps nothing', def: OFF, points: [[100, 1], [200, 50]], kept: [] },
    { name: 'a sample not newer than the last kept one is dropped', def: EXACT, points: [[100, 1], [100, 2], [50, 3], [200, 4]], kept: [100, 200] },
    { name: 'continues from the restored last archived sample after a restart', def: LEVEL, restored: [sample('Tank.Level', 1_000, 40)], points: [[900, 60], [1_000, 60], [1_100, 40.2], [1_200, 41]], kept: [1_200] },
  ])('$name', ({ def, points, kept, restored }) => {
    expect(keptTimes(def, points, restored)).toEqual(kept);
  });

  it('tracks each tag on its own', () => {
    const filter = new ArchiveFilter([]);
    const kept = [sample('A', 100, 1), sample('B', 100, 1), sample('A', 200, 1), sample('B', 200, 2)].filter((s) => filter.keep(tag(s.tag, { enabled: true, deadband: 0 }), s));
    expect(kept.map((s) => `${s.tag}@${s.t}`)).toEqual(['A@100', 'B@100', 'B@200']);
  });
});
