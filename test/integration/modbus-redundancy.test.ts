import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ArchiveResponse, CommandResponse, ProjectStatus, StatusResponse } from '../../shared/protocol/api.js';
import type { TagInfo } from '../../shared/protocol/entities.js';
import { mbpollRead } from '../support/modbus-driver-harness.js';
import { startModbusServer, type ModbusTestServer } from '../support/modbus-server.js';
import { startPair } from '../support/cluster-pair.js';
import { getJson, postJson, removeDir, tempDir, userToken, waitFor, type RuntimeProcess } from '../support/runtime-process.js';

const COUNTER = 21;
const COUNT_MS = 200;
const dir = tempDir('tandem-modbus-pair-');
const started: RuntimeProcess[] = [];
let plc: ModbusTestServer | null = null;

afterAll(async () => {
  for (const runtime of started) await runtime.stop();
  await plc?.stop();
  removeDir(dir);
});

async function status(runtime: RuntimeProcess): Promise<ProjectStatus> {
  return (await getJson<StatusResponse>(`${runtime.url}api/status`)).body.projects[0]!;
}

async function archivedValues(runtime: RuntimeProcess, from: number, to: number): Promise<ArchiveResponse['samples']> {
  return (await getJson<ArchiveResponse>(`${runtime.url}api/projects/plc-pair/archive?tag=Plc.Counter&from=${from}&to=${to}`)).body.samples;
}

/**
 * Why no value is lost: both nodes poll the PLC. The Server archives what it reads (deadband 0: every
 * change) and replicates it; the Standby keeps what it reads itself in its autonomous buffer. After the
 * SIGKILL nothing is replicated for the failure timeout, and on promotion the Standby feeds every
 * buffered sample newer than the last one the Server processed through the archive.
 */
describe('a Modbus PLC read by a Server and a Standby as real processes', () => {
  it('archives every value of a counting register across a SIGKILL of the Server, and the new Server writes to the PLC', async () => {
    plc = await startModbusServer(0, 1, { countMs: COUNT_MS });
    const project = join(dir, 'plc-pair.json');
    writeFileSync(
      project,
      JSON.stringify({
        format: 'tandem-project/1',
        id: 'plc-pair',
        name: 'Modbus pair test',
        drivers: [{ id: 'Plc', type: 'modbus', settings: { host: '127.0.0.1', port: plc.port, timeoutMs: 500, pollGroups: [{ id: 'fast', periodMs: 100 }] } }],
        tags: [
          { id: 'Plc.Counter', driver: 'Plc', address: `hr:${COUNTER}` },
          { id: 'Plc.Setpoint', driver: 'Plc', address: 'hr:24:float32?wordOrder=little', writable: true, writeRange: { min: 0, max: 100 } },
          { id: 'Plc.Level', driver: 'Plc', address: 'ir:0', writable: true },
          { id: 'Plc.Missing', description: 'A register the PLC does not have', driver: 'Plc', address: 'hr:5000' },
        ],
      }),
    );
    const pair = await startPair({ dir, projectFile: project, projectId: 'plc-pair', failback: 'manual' });
    const a = pair.nodes['pc-a'];
    const b = pair.nodes['pc-b'];
    started.push(a, b);
    // Made on pc-a; replicated, so eve's token holds on pc-b once it serves.
    const tokens = { eve: await userToken(a.url, 'plc-pair', 'eve', 'engineer') };

    const from = Date.now();
    const first = await mbpollRead(plc.port, COUNTER, '4');
    await waitFor(async () => ((await mbpollRead(plc!.port, COUNTER, '4')) >= first + 10 ? true : undefined), 10_000, 'ten counts on the Server');
    a.child.kill('SIGKILL');
    await waitFor(async () => ((await status(b)).role === 'server' ? true : undefined), 10_000, 'pc-b to take over');
    const afterTakeover = await mbpollRead(plc.port, COUNTER, '4');
    await waitFor(async () => ((await mbpollRead(plc!.port, COUNTER, '4')) >= afterTakeover + 10 ? true : undefined), 10_000, 'ten counts on pc-b');
    const last = await mbpollRead(plc.port, COUNTER, '4');

    const samples = await waitFor(async () => {
      const archived = await archivedValues(b, from - 1_000, Date.now() + 1_000);
      return archived.some((s) => s.v >= last) ? archived : undefined;
    }, 10_000, `the value ${last} in pc-b's archive`);
    const values = new Set(samples.map((s) => s.v));
    const missing = Array.from({ length: last - first + 1 }, (_, i) => first + i).filter((v) => !values.has(v));
    expect(missing).toEqual([]);
    expect(samples.every((s) => s.q === 'good')).toBe(true);
    const times = samples.map((s) => s.t);
    expect(times).toEqual([...times].sort((x, y) => x - y));

    // The new Server writes to the PLC; a refusal by the driver reaches the operator as its sentence.
    const write = (tag: string, value: number, requestId: string) =>
      postJson<CommandResponse>(`${b.url}api/projects/plc-pair/tags/${tag}/write`, { requestId, user: 'eve', value }, tokens.eve);
    const written = await write('Plc.Setpoint', 42.5, 'modbus-pair-write-1');
    expect(written.body.writes).toEqual([{ tag: 'Plc.Setpoint', value: 42.5, ok: true, error: null }]);
    expect(await mbpollRead(plc!.port, 24, '4:float')).toBe(42.5);
    const tag = async () => (await getJson<{ tags: TagInfo[] }>(`${b.url}api/projects/plc-pair/tags`)).body.tags.find((t) => t.id === 'Plc.Setpoint');
    await waitFor(async () => ((await tag())?.value === 42.5 ? true : undefined), 5_000, 'the written setpoint read back');

    const refused = await write('Plc.Level', 1, 'modbus-pair-write-2');
    expect(refused.body.writes).toEqual([{ tag: 'Plc.Level', value: 1, ok: false, error: expect.stringContaining('ir:0 is an input register') }]);

    // A wrong register is bad on its own tag, with the reason, on both nodes; the others read on.
    for (const node of [b, await pair.start('pc-a')]) {
      if (node !== b) started.push(node);
      const missing = await waitFor(async () => {
        const tags = (await getJson<{ tags: TagInfo[] }>(`${node.url}api/projects/plc-pair/tags`)).body.tags;
        return tags.find((t) => t.id === 'Plc.Missing' && t.error !== null);
      }, 10_000, 'the error of Plc.Missing');
      expect(missing).toMatchObject({ q: 'bad', error: expect.stringContaining('the server refused the read') });
    }
    const drivers = (await status(b)).drivers;
    expect(drivers[0]).toMatchObject({ id: 'Plc', state: 'connected', badTags: 1, lastError: expect.stringContaining('Plc.Missing') });
  });
});
