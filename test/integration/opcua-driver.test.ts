import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../electron/runtime/clock.js';
import { OpcuaDriver } from '../../electron/runtime/drivers/opcua/opcua-driver.js';
import { parseProject } from '../../shared/project/load-project.js';
import type { Sample } from '../../shared/protocol/entities.js';
import { recordingSink, waitUntil as waitFor } from '../support/modbus-driver-harness.js';
import { startOpcuaServer, type OpcuaTestServer } from '../support/opcua-server.js';

type TagSpec = { address: string; type?: 'boolean'; scale?: object; writable?: boolean };

const pkiDir = mkdtempSync(join(tmpdir(), 'tandem-opcua-'));
/** Fast enough that a test sees changes within a few hundred ms. */
const FAST = { samplingIntervalMs: 50, publishingIntervalMs: 50, timeoutMs: 2_000, reconnectFirstMs: 100, reconnectMaxMs: 400 };

function makeDriver(endpointUrl: string, tags: Record<string, TagSpec>, settings: Record<string, unknown> = {}): OpcuaDriver {
  const result = parseProject({
    format: 'tandem-project/1',
    id: 'opcua-test',
    name: 'OPC UA test',
    drivers: [{ id: 'Ua', type: 'opcua', settings: { endpointUrl, pkiDir: join(pkiDir, 'client'), ...FAST, ...settings } }],
    tags: Object.entries(tags).map(([id, tag]) => ({ id: `Ua.${id}`, driver: 'Ua', ...tag })),
  });
  if (!result.ok) throw new Error(result.errors.join('\n'));
  const def = result.project.drivers[0];
  if (def?.type !== 'opcua') throw new Error('expected the opcua driver');
  return new OpcuaDriver(def, result.project.tags, systemClock);
}

function samplesOf(sink: { all: Sample[] }, tag: string): Sample[] {
  return sink.all.filter((sample) => sample.tag === `Ua.${tag}`);
}

describe('OPC UA driver against a node-opcua server process', () => {
  const servers: OpcuaTestServer[] = [];
  const drivers: OpcuaDriver[] = [];

  afterEach(async () => {
    drivers.splice(0).forEach((driver) => driver.stop());
    await Promise.all(servers.splice(0).map((server) => server.stop()));
  });
  /** Tests that neither stop the server nor depend on values another test writes share one (a start takes seconds). */
  let shared: Promise<OpcuaTestServer> | null = null;
  afterAll(async () => {
    await (await shared)?.stop();
    rmSync(pkiDir, { recursive: true, force: true });
  });

  function sharedServer(): Promise<OpcuaTestServer> {
    shared ??= startOpcuaServer({ port: 0, generation: 1, pkiDir: join(pkiDir, 'server') });
    return shared;
  }

  async function server(port = 0, generation = 1): Promise<OpcuaTestServer> {
    const started = await startOpcuaServer({ port, generation, pkiDir: join(pkiDir, 'server') });
    servers.push(started);
    return started;
  }

  function started(endpointUrl: string, tags: Record<string, TagSpec>, settings: Record<string, unknown> = {}): { driver: OpcuaDriver; sink: ReturnType<typeof recordingSink> } {
    const driver = makeDriver(endpointUrl, tags, settings);
    drivers.push(driver);
    const sink = recordingSink();
    driver.start(sink);
    return { driver, sink };
  }

  it('reads numbers, booleans and scaled values with the quality and source time the server gives', async () => {
    const { endpointUrl } = await sharedServer();
    const tags: Record<string, TagSpec> = {
      Temperature: { address: 'ns=1;s=Boiler.Temperature' },
      Speed: { address: 'ns=1;s=Pump.Speed?samplingMs=100' },
      Running: { address: 'ns=1;s=Pump.Running', type: 'boolean' },
      Level: { address: 'ns=1;s=Tank.Raw', scale: { rawLow: 0, rawHigh: 27648, euLow: 0, euHigh: 100 } },
      Uncertain: { address: 'ns=1;s=Sensor.Uncertain' },
      Failed: { address: 'ns=1;s=Sensor.Failed' },
      Counter: { address: 'ns=1;s=Counter' },
    };
    const { driver, sink } = started(endpointUrl, tags);
    await waitFor('every tag', () => sink.latest.size === Object.keys(tags).length);
    await waitFor('the counter to change', () => new Set(samplesOf(sink, 'Counter').map((s) => s.v)).size >= 3);

    const values = Object.fromEntries([...sink.latest].map(([tag, s]) => [tag.slice('Ua.'.length), [s.v, s.q]]));
    expect(values).toMatchObject({
      Temperature: [21.5, 'good'],
      Speed: [-1234, 'good'],
      Running: [1, 'good'],
      Level: [50, 'good'],
      Uncertain: [7.5, 'stale'],
      Failed: [0, 'bad'],
    });
    expect(sink.latest.get('Ua.Temperature')?.t).toBe(Date.parse('2024-03-01T12:00:00.000Z'));
    const counts = samplesOf(sink, 'Counter');
    expect(counts.every((s) => s.q === 'good')).toBe(true);
    expect(counts.map((s) => s.t)).toEqual([...counts.map((s) => s.t)].sort((a, b) => a - b));
    expect(driver.tagError('Ua.Failed')).toContain('BadSensorFailure');
    expect(driver.tagError('Ua.Temperature')).toBeNull();
    expect(driver.status()).toMatchObject({ id: 'Ua', type: 'opcua', state: 'connected', tags: 7, errors: 1 });
  });

  it('marks a node that does not exist, or is not a number, bad with a sentence and keeps reading the rest', async () => {
    const { endpointUrl } = await sharedServer();
    const { driver, sink } = started(endpointUrl, {
      Counter: { address: 'ns=1;s=Counter' },
      Missing: { address: 'ns=1;s=No.Such.Node' },
      Label: { address: 'ns=1;s=Label' },
    });
    await waitFor('all three tags', () => sink.latest.size === 3);
    const before = samplesOf(sink, 'Counter').length;
    await waitFor('the counter to go on', () => samplesOf(sink, 'Counter').length >= before + 3);

    expect(sink.latest.get('Ua.Counter')?.q).toBe('good');
    expect(samplesOf(sink, 'Missing')).toEqual([expect.objectContaining({ q: 'bad' })]);
    expect(samplesOf(sink, 'Label')).toEqual([expect.objectContaining({ q: 'bad' })]);
    expect(driver.tagError('Ua.Missing')).toBe('the server has no such node (BadNodeIdUnknown); check the node id');
    expect(driver.tagError('Ua.Label')).toBe('the node holds a String, not a number; choose a numeric or Boolean variable');
    const status = driver.status();
    expect(status.state).toBe('connected');
    expect(status.errors).toBe(2);
    expect(status.lastError).toMatch(/^tag Ua\.(Missing|Label) \(ns=1;s=(No\.Such\.Node|Label)\): /);
  });

  it('writes setpoints in the node types and reads them back; refuses values the type cannot hold', async () => {
    const { endpointUrl } = await sharedServer();
    const { driver, sink } = started(endpointUrl, {
      Double: { address: 'ns=1;s=Setpoint.Double', writable: true },
      Float: { address: 'ns=1;s=Setpoint.Float', writable: true },
      Int16: { address: 'ns=1;s=Setpoint.Int16', writable: true },
      UInt32: { address: 'ns=1;s=Setpoint.UInt32', writable: true, scale: { rawLow: 0, rawHigh: 1000, euLow: 0, euHigh: 100 } },
      Boolean: { address: 'ns=1;s=Setpoint.Boolean', type: 'boolean', writable: true },
      Temperature: { address: 'ns=1;s=Boiler.Temperature', writable: true },
      Missing: { address: 'ns=1;s=No.Such.Node', writable: true },
    });
    await waitFor('connected', () => driver.status().state === 'connected');

    expect(await driver.write('Ua.Double', 42.5)).toEqual({ ok: true });
    expect(await driver.write('Ua.Float', 1.25)).toEqual({ ok: true });
    expect(await driver.write('Ua.Int16', -300)).toEqual({ ok: true });
    expect(await driver.write('Ua.UInt32', 12.5)).toEqual({ ok: true });
    expect(await driver.write('Ua.Boolean', 1)).toEqual({ ok: true });
    await waitFor('the written values', () =>
      ['Double:42.5', 'Float:1.25', 'Int16:-300', 'UInt32:12.5', 'Boolean:1'].every((pair) => {
        const [tag, v] = pair.split(':');
        return sink.latest.get(`Ua.${tag}`)?.v === Number(v) && sink.latest.get(`Ua.${tag}`)?.q === 'good';
      }),
    );

    expect(await driver.write('Ua.Int16', 3.5)).toEqual({ ok: false, error: 'tag Ua.Int16 (ns=1;s=Setpoint.Int16): the node is an Int16 and takes whole numbers, not 3.5' });
    expect(await driver.write('Ua.Int16', 40_000)).toEqual({ ok: false, error: 'tag Ua.Int16 (ns=1;s=Setpoint.Int16): 40000 is outside the Int16 range -32768 to 32767' });
    expect(await driver.write('Ua.Boolean', 2)).toEqual({ ok: false, error: 'tag Ua.Boolean (ns=1;s=Setpoint.Boolean): the node is a Boolean and takes 0 or 1, not 2' });
    const readOnly = await driver.write('Ua.Temperature', 30);
    expect(readOnly).toMatchObject({ ok: false, error: expect.stringContaining('the server refused the write: BadNotWritable') });
    expect(await driver.write('Ua.Missing', 1)).toMatchObject({ ok: false, error: expect.stringContaining('the server has no such node') });
  });

  it('marks every tag commError once when the server dies, and re-subscribes when it restarts on the same port', async () => {
    const first = await server();
    const { driver, sink } = started(first.endpointUrl, { Generation: { address: 'ns=1;s=Generation' }, Counter: { address: 'ns=1;s=Counter' } });
    await waitFor('a first value', () => sink.latest.get('Ua.Generation')?.v === 1 && sink.latest.get('Ua.Counter')?.q === 'good');

    await first.stop();
    await waitFor('commError', () => sink.latest.get('Ua.Generation')?.q === 'commError' && sink.latest.get('Ua.Counter')?.q === 'commError');
    expect(sink.latest.get('Ua.Generation')?.v).toBe(1);
    expect(driver.status().state).toBe('error');
    expect(driver.status().lastError).toContain(first.endpointUrl);
    await expect(driver.write('Ua.Generation', 3)).resolves.toMatchObject({ ok: false, error: expect.stringContaining('is not connected') });

    await server(first.port, 2);
    await waitFor('a value from the restarted server', () => sink.latest.get('Ua.Generation')?.v === 2);
    const afterRestart = samplesOf(sink, 'Counter').length;
    await waitFor('the counter of the restarted server', () => samplesOf(sink, 'Counter').length >= afterRestart + 3);
    expect(sink.latest.get('Ua.Counter')?.q).toBe('good');
    expect(driver.status()).toMatchObject({ state: 'connected' });
    const commErrors = sink.all.filter((s) => s.q === 'commError');
    expect(new Set(commErrors.map((s) => s.tag)).size).toBe(2);
  });

  it('reports a host that cannot be reached in status and once to the runtime, and keeps retrying', async () => {
    const { driver, sink } = started('opc.tcp://no-such-plc.invalid:4840', { Temperature: { address: 'ns=1;s=Boiler.Temperature' } });
    await waitFor('commError', () => sink.latest.get('Ua.Temperature')?.q === 'commError');
    expect(driver.status().state).toBe('error');
    expect(driver.status().lastError).toBe('cannot connect to opc.tcp://no-such-plc.invalid:4840: the host name is not known (getaddrinfo ENOTFOUND no-such-plc.invalid)');
    expect(driver.tagError('Ua.Temperature')).toContain('cannot connect to opc.tcp://no-such-plc.invalid:4840');
    await waitFor('a third attempt', () => driver.status().errors >= 3);
    expect(sink.all).toHaveLength(1);
    expect(sink.states).toEqual([
      ['connecting', null],
      ['error', expect.stringContaining('cannot connect to opc.tcp://no-such-plc.invalid:4840')],
    ]);
  });

  it('signs and encrypts with Basic256Sha256 and logs in as a user; a wrong password is an error that names the login', async () => {
    const { endpointUrl } = await sharedServer();
    const secure = { securityMode: 'signAndEncrypt', acceptUnknownServerCertificate: true, userName: 'operator', timeoutMs: 10_000 };
    const { driver, sink } = started(endpointUrl, { Temperature: { address: 'ns=1;s=Boiler.Temperature' } }, { ...secure, password: 'secret' });
    await waitFor('a value over the secure channel', () => sink.latest.get('Ua.Temperature')?.q === 'good', 30_000);
    expect(sink.latest.get('Ua.Temperature')?.v).toBe(21.5);
    expect(driver.status().state).toBe('connected');

    const wrong = started(endpointUrl, { Temperature: { address: 'ns=1;s=Boiler.Temperature' } }, { ...secure, password: 'guess' });
    await waitFor('the refused login', () => wrong.driver.status().state === 'error', 30_000);
    expect(wrong.driver.status().lastError).toMatch(/^cannot connect to opc\.tcp:\/\/127\.0\.0\.1:\d+\/tandem-test: the server refused user "operator": BadUserAccessDenied .*; check userName and password$/);
  });
});
