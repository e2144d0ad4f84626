import type { TagDef } from '../../../shared/project/project-schema.js';
import type { Sample } from '../../../shared/protocol/entities.js';

/**
 * Archiving on change: a sample is kept when its tag is archived and it differs from the last kept
 * sample of that tag by more than the tag's deadband, or its quality changed.
 */
export class ArchiveFilter {
  private readonly lastKept = new Map<string, Sample>();

  constructor(restored: readonly Sample[]) {
    for (const sample of restored) this.lastKept.set(sample.tag, sample);
  }

  keep(tag: TagDef, sample: Sample): boolean {
    if (!tag.archive.enabled) return false;
    const last = this.lastKept.get(sample.tag);
    if (last && sample.t <= last.t) return false;
    const changed = !last || last.q !== sample.q || Math.abs(sample.v - last.v) > tag.archive.deadband;
    if (changed) this.lastKept.set(sample.tag, sample);
    return changed;
  }
}
