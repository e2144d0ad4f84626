import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { ServerMessage, WS_FRAME_BYTES_MAX } from '../../shared/protocol/ws.js';
import { FAST_PROJECT } from '../support/fixtures.js';
import { postJson, removeDir, startRuntimeProcess, userToken, type RuntimeProcess } from '../support/runtime-process.js';

let runtime: RuntimeProcess;
const tokens: Record<string, string> = {};

beforeAll(async () => {
  runtime = await startRuntimeProcess({ args: ['--project', FAST_PROJECT, '--node', 'pc-ws'] });
  tokens.carl = await userToken(runtime.url, 'fast', 'carl', 'operator');
});

afterAll(async () => {
  await runtime.stop();
  removeDir(runtime.dataDir);
});

/** A protocol client that parses every frame with the shared schema, as the UI does. */
class TestClient {
  readonly messages: ServerMessage[] = [];
  readonly ws: WebSocket;
  closeCode: number | null = null;

  constructor(url: string) {
    this.ws = new WebSocket(url.replace(/^http/, 'ws') + 'ws');
    this.ws.on('message', (data) => this.messages.push(ServerMessage.parse(JSON.parse(data.toString()))));
    this.ws.on('close', (code) => (this.closeCode = code));
  }

  opened(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.ws.once('open', () => resolve());
      this.ws.once('error', reject);
    });
  }

  async next<T extends ServerMessage['type']>(
    type: T,
    match: (message: Extract<ServerMessage, { type: T }>) => boolean = () => true,
    timeoutMs = 10_000,
  ): Promise<Extract<ServerMessage, { type: T }>> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const index = this.messages.findIndex((m) => m.type === type && match(m as Extract<ServerMessage, { type: T }>));
      if (index >= 0) return this.messages.splice(index, 1)[0] as Extract<ServerMessage, { type: T }>;
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error(`no "${type}" frame within ${timeoutMs} ms`);
  }

  close(): void {
    this.ws.close();
  }
}

describe('the WebSocket protocol', () => {
  it('greets, sends a snapshot, then live values, alarm and CEL deltas and heartbeats', async () => {
    const client = new TestClient(runtime.url);
    await client.opened();
    expect(await client.next('welcome')).toMatchObject({ node: 'pc-ws' });
    client.ws.send(JSON.stringify({ type: 'subscribe', project: 'fast' }));
    const snapshot = await client.next('snapshot');
    expect(snapshot).toMatchObject({ project: 'fast', server: 'pc-ws', role: 'standalone', resumed: false });
    expect(snapshot.tags.map((t) => t.id)).toContain('Sim.Counter');
    expect(snapshot.cel.some((e) => e.text.includes('started on node pc-ws'))).toBe(true);
    const values = await client.next('values');
    expect(values.samples.some((s) => s.tag === 'Sim.Counter')).toBe(true);
    await client.next('heartbeat');
    // Blink.On changes every second, so alarm and CEL deltas follow with growing positions.
    const alarms = await client.next('alarms', (m) => m.alarms.some((a) => a.alarmId === 'Blink.On'));
    expect(alarms.position.seq).toBeGreaterThan(snapshot.position.seq);
    const cel = await client.next('cel', (m) => m.entries.some((e) => e.alarmId === 'Blink.On'));
    expect(cel.position.seq).toBeGreaterThan(snapshot.position.seq);
    client.close();
  });

  it('resumes from the last position seen: only newer CEL entries, none twice', async () => {
    const first = new TestClient(runtime.url);
    await first.opened();
    first.ws.send(JSON.stringify({ type: 'subscribe', project: 'fast' }));
    const snapshot = await first.next('snapshot');
    first.close();
    const ack = await postJson(`${runtime.url}api/projects/fast/alarms/ack`, { requestId: `resume-${Date.now()}`, user: 'carl', alarmIds: ['Trip.Active'] }, tokens.carl);
    expect(ack.status).toBe(200);

    const second = new TestClient(runtime.url);
    await second.opened();
    second.ws.send(JSON.stringify({ type: 'subscribe', project: 'fast', resume: snapshot.position }));
    const resumed = await second.next('snapshot');
    expect(resumed.resumed).toBe(true);
    const seqs = resumed.cel.map((e) => e.seq);
    expect(seqs.every((seq) => seq > snapshot.position.seq)).toBe(true);
    expect(new Set(seqs).size).toBe(seqs.length);
    expect(resumed.cel.some((e) => e.user === 'carl' && e.alarmId === 'Trip.Active')).toBe(true);
    second.close();
  });

  it('answers a garbage frame with an error and keeps the connection', async () => {
    const client = new TestClient(runtime.url);
    await client.opened();
    client.ws.send('this is not json');
    expect((await client.next('error')).code).toBe('badFrame');
    client.ws.send(JSON.stringify({ type: 'subscribe', project: 'nope' }));
    expect((await client.next('error')).message).toContain('no project "nope"');
    client.ws.send(JSON.stringify({ type: 'subscribe', project: 'fast' }));
    await client.next('snapshot');
    client.close();
  });

  it('closes the connection on an oversized frame, and the server carries on', async () => {
    const client = new TestClient(runtime.url);
    await client.opened();
    client.ws.send('x'.repeat(WS_FRAME_BYTES_MAX + 1));
    const deadline = Date.now() + 5000;
    while (client.closeCode === null && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(client.closeCode).toBe(1009);
    const again = new TestClient(runtime.url);
    await again.opened();
    expect(await again.next('welcome')).toMatchObject({ node: 'pc-ws' });
    again.close();
  });
});
