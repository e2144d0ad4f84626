/** A record operators change in versions (a recipe, the pair's role settings), replicated as facts. */
export interface VersionedRecord {
  version: number;
  t: number;
  user: string | null;
}

/**
 * Which of two versions of a record is current: the higher version number, then the later time, then
 * the user name. Two nodes that hold the same versions agree whatever order they came in, including
 * two edits of one base version made on both sides of a split.
 */
export function isNewerVersion(candidate: VersionedRecord, current: VersionedRecord | undefined | null): boolean {
  if (!current) return true;
  if (candidate.version !== current.version) return candidate.version > current.version;
  if (candidate.t !== current.t) return candidate.t > current.t;
  return (candidate.user ?? '') > (current.user ?? '');
}
