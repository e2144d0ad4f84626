import { afterAll, describe, expect, it } from 'vitest';
import type { AlarmsResponse, ArchiveResponse, CelResponse, CommandResponse, StatusResponse } from '../../shared/protocol/api.js';
import { FAST_PROJECT } from '../support/fixtures.js';
import { getJson, postJson, removeDir, startRuntimeProcess, tempDir, userToken, waitFor } from '../support/runtime-process.js';

const dataDir = tempDir();
afterAll(() => removeDir(dataDir));

describe('a restart with the same data folder', () => {
  it('keeps the archive, the CEL, acknowledgements and the log position', async () => {
    const args = ['--project', FAST_PROJECT, '--node', 'pc-restart'];
    const first = await startRuntimeProcess({ dataDir, args });
    const api = `${first.url}api/projects/fast`;
    // The standalone token key stays in the data folder: a token signed before the restart holds after it.
    const tokens = { dora: await userToken(first.url, 'fast', 'dora', 'operator') };
    await waitFor(async () => (await getJson<AlarmsResponse>(`${api}/alarms`)).body.alarms.find((a) => a.alarmId === 'Trip.Active'));
    const ack = await postJson<CommandResponse>(`${api}/alarms/Trip.Active/ack`, { requestId: 'restart-ack-1', user: 'dora' }, tokens.dora);
    expect(ack.body.applied).toBe(true);
    const firstT = Math.ceil(Date.now() / 100) * 100;
    await waitFor(async () => {
      const { body } = await getJson<ArchiveResponse>(`${api}/archive?tag=Sim.Counter&from=${firstT}&to=${firstT + 1000}`);
      return body.samples.length === 11 ? true : undefined;
    });
    const before = (await getJson<StatusResponse>(`${first.url}api/status`)).body.projects[0]!;
    expect(await first.stop()).toBe(0);

    const second = await startRuntimeProcess({ dataDir, args });
    const api2 = `${second.url}api/projects/fast`;
    try {
      const archived = await getJson<ArchiveResponse>(`${api2}/archive?tag=Sim.Counter&from=${firstT}&to=${firstT + 1000}`);
      expect(archived.body.samples).toHaveLength(11);
      const alarms = await getJson<AlarmsResponse>(`${api2}/alarms`);
      expect(alarms.body.alarms.find((a) => a.alarmId === 'Trip.Active')).toMatchObject({ state: 'ackActive', ackUser: 'dora' });
      const retry = await postJson<CommandResponse>(`${api2}/alarms/Trip.Active/ack`, { requestId: 'restart-ack-1', user: 'dora' }, tokens.dora);
      expect(retry.body.applied).toBe(false);
      const after = (await getJson<StatusResponse>(`${second.url}api/status`)).body.projects[0]!;
      expect(after.seq).toBeGreaterThan(before.seq);
      const system = await getJson<CelResponse>(`${api2}/cel?kind=system&limit=10`);
      const texts = system.body.entries.map((e) => e.text);
      expect(texts.some((t) => t.startsWith('Tandem stopped on node pc-restart: SIGTERM'))).toBe(true);
      expect(texts.filter((t) => t.startsWith('Tandem started on node pc-restart'))).toHaveLength(2);
    } finally {
      expect(await second.stop()).toBe(0);
    }
  });
});
