import { ArchiveResponse } from '../../../../shared/protocol/api.js';
import { getJson } from '../../transport/http.js';
import { seriesFromArchive, type TrendSeries } from './trend-series.js';

export interface HistoryResult {
  series: TrendSeries;
  truncated: boolean;
}

export async function loadHistory(
  projectId: string,
  tag: string,
  from: number,
  to: number,
  bucketMs: number | null,
  signal: AbortSignal,
): Promise<HistoryResult> {
  const params = new URLSearchParams({ tag, from: String(Math.floor(from)), to: String(Math.ceil(to)) });
  if (bucketMs !== null) params.set('bucketMs', String(bucketMs));
  const response = await getJson(`/api/projects/${encodeURIComponent(projectId)}/archive?${params}`, ArchiveResponse, signal);
  return { series: seriesFromArchive(response, bucketMs), truncated: response.truncated };
}
