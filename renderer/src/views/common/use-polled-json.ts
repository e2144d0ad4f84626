import { useCallback, useEffect, useState } from 'react';
import type { z } from 'zod';
import { errorText, getJson } from '../../transport/http.js';

export interface Polled<T> {
  /** The last answer (kept while a later read fails); null until the first one. */
  data: T | null;
  /** Why the last read failed, or null. */
  error: string | null;
  /** Reads at once, e.g. after a change made from this view. */
  reload: () => Promise<void>;
}

/**
 * Reads `path` now and every `everyMs` while the view is shown, so a change made on another station
 * shows up by itself. `path` null: nothing to read yet (the project is not known). `schema` must be a
 * module-level constant, or every render starts the polling again.
 */
export function usePolledJson<T>(path: string | null, schema: z.ZodType<T>, everyMs: number): Polled<T> {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  const reload = useCallback(async () => {
    if (path === null) return;
    try {
      setData(await getJson(path, schema));
      setError(null);
    } catch (failure) {
      setError(errorText(failure));
    }
  }, [path, schema]);
  useEffect(() => {
    void reload();
    const timer = setInterval(() => void reload(), everyMs);
    return () => clearInterval(timer);
  }, [reload, everyMs]);
  return { data, error, reload };
}
