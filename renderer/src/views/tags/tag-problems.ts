import { useEffect, useState } from 'react';
import { z } from 'zod';
import { TagInfo } from '../../../../shared/protocol/entities.js';
import { getJson } from '../../transport/http.js';
import { projectPath } from '../../transport/project-path.js';

/** How often the open tag list asks why tags do not read good (the live feed carries values, not reasons). */
const REFRESH_MS = 2_000;
const TagsResponse = z.object({ tags: z.array(TagInfo) });

/** Each tag's driver problem, by tag id, refreshed while the view is open. */
export function useTagProblems(projectId: string | null): ReadonlyMap<string, string> {
  const [problems, setProblems] = useState<ReadonlyMap<string, string>>(new Map());
  useEffect(() => {
    if (projectId === null) return;
    const abort = new AbortController();
    const load = async () => {
      try {
        const { tags } = await getJson(`${projectPath(projectId)}/tags`, TagsResponse, abort.signal);
        setProblems(new Map(tags.flatMap((tag) => (tag.error ? [[tag.id, tag.error] as const] : []))));
      } catch {
        // The connection indicator already tells the operator the node cannot be reached.
      }
    };
    void load();
    const timer = setInterval(() => void load(), REFRESH_MS);
    return () => {
      clearInterval(timer);
      abort.abort();
    };
  }, [projectId]);
  return problems;
}
