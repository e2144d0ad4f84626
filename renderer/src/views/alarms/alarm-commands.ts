import { REQUEST_BODY_BYTES_MAX } from '../../../../shared/protocol/api.js';
import { upsertAlarms } from '../../stores/project-store.js';
import { projectPath } from '../../transport/project-path.js';
import { sendCommand } from '../../transport/send-command.js';
import { newRequestId } from '../../transport/request-id.js';
import { chunkIdsByBytes } from './alarm-query.js';

/** Shelving goes one alarm per request; a few at a time keep the node responsive. */
const PARALLEL_REQUESTS_MAX = 4;
/** The server takes at most this many ids in one acknowledgement (api.ts, AckManyBody). */
const ACK_IDS_MAX = 20_000;

export const SHELVE_DURATIONS: readonly { label: string; ms: number }[] = [
  { label: '15 min', ms: 15 * 60_000 },
  { label: '1 h', ms: 3_600_000 },
  { label: '8 h', ms: 8 * 3_600_000 },
];


export async function acknowledgeAlarms(projectId: string, alarmIds: readonly string[], comment = ''): Promise<void> {
  const chunks = chunkIdsByBytes(alarmIds, REQUEST_BODY_BYTES_MAX).flatMap((chunk) => splitEvery(chunk, ACK_IDS_MAX));
  for (const chunk of chunks) {
    const body = { requestId: newRequestId(), comment, alarmIds: chunk };
    const what = chunk.length === 1 ? `Acknowledging ${chunk[0]}` : `Acknowledging ${chunk.length} alarms`;
    await runCommand(what, `${projectPath(projectId)}/alarms/ack`, body);
  }
}

export async function shelveAlarms(projectId: string, alarmIds: readonly string[], durationMs: number, comment: string): Promise<void> {
  await eachLimited(alarmIds, (alarmId) =>
    runCommand(`Shelving ${alarmId}`, `${projectPath(projectId)}/alarms/${encodeURIComponent(alarmId)}/shelve`, {
      requestId: newRequestId(),
      comment,
      durationMs,
    }),
  );
}

export async function unshelveAlarms(projectId: string, alarmIds: readonly string[], comment = ''): Promise<void> {
  await eachLimited(alarmIds, (alarmId) =>
    runCommand(`Unshelving ${alarmId}`, `${projectPath(projectId)}/alarms/${encodeURIComponent(alarmId)}/unshelve`, {
      requestId: newRequestId(),
      comment,
    }),
  );
}

async function runCommand(what: string, path: string, body: object): Promise<void> {
  const reply = await sendCommand(what, path, body);
  if (reply) upsertAlarms(reply.alarms);
}

async function eachLimited(ids: readonly string[], run: (id: string) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < ids.length) await run(ids[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL_REQUESTS_MAX, ids.length) }, worker));
}

function splitEvery<T>(items: readonly T[], size: number): T[][] {
  const parts: T[][] = [];
  for (let i = 0; i < items.length; i += size) parts.push(items.slice(i, i + size));
  return parts;
}
