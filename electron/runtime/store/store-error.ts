/** Why a project database could not be opened; each reason asks the operator for a different action. */
export type StoreOpenReason = 'damaged' | 'inUse' | 'newerSchema' | 'otherProject' | 'unavailable';

/**
 * A project database that cannot be used. The message is one line a plant engineer can act on and
 * names the file; for every reason but `unavailable` the file was left exactly as it was.
 */
export class StoreOpenError extends Error {
  override readonly name = 'StoreOpenError';

  constructor(
    readonly reason: StoreOpenReason,
    readonly file: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  static damaged(file: string, cause?: unknown): StoreOpenError {
    return new StoreOpenError(
      'damaged',
      file,
      `${file} is not a Tandem database or is damaged; it was left untouched. Move it away or restore a backup.`,
      { cause },
    );
  }

  static inUse(file: string, cause?: unknown): StoreOpenError {
    return new StoreOpenError('inUse', file, `${file} is in use by another Tandem process (same --data folder?)`, { cause });
  }

  static newerSchema(file: string, schemaVersion: number, knownVersionMax: number): StoreOpenError {
    return new StoreOpenError(
      'newerSchema',
      file,
      `${file} was written by a newer Tandem (schema ${schemaVersion}, this version knows up to ${knownVersionMax}); ` +
        'use that version or another --data folder',
    );
  }

  static otherProject(file: string, storedProjectId: string, projectId: string): StoreOpenError {
    return new StoreOpenError(
      'otherProject',
      file,
      `${file} holds project "${storedProjectId}", not "${projectId}"; it was left untouched. ` +
        `Move it back to ${storedProjectId}.sqlite or use another --data folder.`,
    );
  }

  static unavailable(file: string, cause: unknown): StoreOpenError {
    const detail = cause instanceof Error ? cause.message : String(cause);
    return new StoreOpenError(
      'unavailable',
      file,
      `${file} cannot be opened for writing (${detail}); check that the --data folder exists and is writable`,
      { cause },
    );
  }
}
