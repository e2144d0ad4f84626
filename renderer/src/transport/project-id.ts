import { StatusResponse } from '../../../shared/protocol/api.js';
import { getJson } from './http.js';

/** The project this window shows: `?project=` if given, else the first one the node serves. */
export async function resolveProjectId(search: string): Promise<string> {
  const fromQuery = new URLSearchParams(search).get('project');
  if (fromQuery) return fromQuery;
  const status = await getJson('/api/status', StatusResponse);
  const first = status.projects[0];
  if (!first) throw new Error(`Node ${status.node} serves no project yet. Add a project to it, then reload.`);
  return first.id;
}
