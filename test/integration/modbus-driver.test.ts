import { afterEach, describe, expect, it } from 'vitest';
import { ModbusDriver } from '../../electron/runtime/drivers/modbus/modbus-driver.js';
import type { DriverSink } from '../../electron/runtime/drivers/driver.js';
import { systemClock } from '../../electron/runtime/clock.js';
import { parseProject } from '../../shared/project/load-project.js';
import type { DriverState, Sample } from '../../shared/protocol/entities.js';
import { startModbusServer, type ModbusTestServer } from '../support/modbus-server.js';

const TAGS: Record<string, { address: string; type?: 'boolean'; scale?: object }> = {
  Int16: { address: 'hr:0:int16' },
  Uint16: { address: 'hr:1' },
  Int32: { address: 'hr:2:int32' },
  Uint32: { address: 'hr:4:uint32?group=slow' },
  Float: { address: 'hr:6:float32' },
  FloatSwapped: { address: 'hr:8:float32?wordOrder=little' },
  Int16Swapped: { address: 'hr:10:int16?byteOrder=little' },
  Level: { address: 'ir:0', scale: { rawLow: 0, rawHigh: 27648, euLow: 0, euHigh: 100 } },
  CoilOn: { address: 'co:0', type: 'boolean' },
  CoilOff: { address: 'co:1', type: 'boolean' },
  Input: { address: 'di:1', type: 'boolean' },
  Generation: { address: 'hr:20' },
};

function makeDriver(host: string, port: number, tags: Record<string, { address: string; type?: 'boolean'; scale?: object }>): ModbusDriver {
  const result = parseProject({
    format: 'tandem-project/1',
    id: 'modbus-test',
    name: 'Modbus test',
    drivers: [
      {
        id: 'Plc',
        type: 'modbus',
        settings: {
          host,
          port,
          timeoutMs: 500,
          reconnectFirstMs: 50,
          reconnectMaxMs: 400,
          pollGroups: [
            { id: 'fast', periodMs: 50 },
            { id: 'slow', periodMs: 200 },
          ],
        },
      },
    ],
    tags: Object.entries(tags).map(([id, tag]) => ({ id: `Plc.${id}`, driver: 'Plc', ...tag })),
  });
  if (!result.ok) throw new Error(result.errors.join('\n'));
  const def = result.project.drivers[0];
  if (def?.type !== 'modbus') throw new Error('expected the modbus driver');
  return new ModbusDriver(def, result.project.tags, systemClock);
}

/** Collects what the driver delivers; `latest` is the newest sample of each tag. */
function recordingSink(): DriverSink & { latest: Map<string, Sample>; all: Sample[]; states: [DriverState, string | null][] } {
  const latest = new Map<string, Sample>();
  const all: Sample[] = [];
  const states: [DriverState, string | null][] = [];
  return {
    latest,
    all,
    states,
    samples: (samples) => {
      for (const sample of samples) {
        latest.set(sample.tag, sample);
        all.push(sample);
      }
    },
    state: (state, error) => states.push([state, error]),
  };
}

async function waitFor(what: string, condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('Modbus TCP driver against a pymodbus server', () => {
  const servers: ModbusTestServer[] = [];
  const drivers: ModbusDriver[] = [];

  afterEach(async () => {
    drivers.splice(0).forEach((driver) => driver.stop());
    await Promise.all(servers.splice(0).map((server) => server.stop()));
  });

  it('reads every register type, byte and word order, scaling, coils and discrete inputs', async () => {
    const server = await startModbusServer(0, 1);
    servers.push(server);
    const driver = makeDriver('127.0.0.1', server.port, TAGS);
    drivers.push(driver);
    const sink = recordingSink();
    driver.start(sink);
    await waitFor('every tag read', () => sink.latest.size === Object.keys(TAGS).length);

    const values = Object.fromEntries([...sink.latest].map(([tag, sample]) => [tag.slice('Plc.'.length), [sample.v, sample.q]]));
    expect(values).toEqual({
      Int16: [-1234, 'good'],
      Uint16: [54321, 'good'],
      Int32: [-123456, 'good'],
      Uint32: [3_000_000_000, 'good'],
      Float: [21.5, 'good'],
      FloatSwapped: [21.5, 'good'],
      Int16Swapped: [-1234, 'good'],
      Level: [50, 'good'],
      CoilOn: [1, 'good'],
      CoilOff: [0, 'good'],
      Input: [1, 'good'],
      Generation: [1, 'good'],
    });
    expect(driver.status()).toMatchObject({ type: 'modbus', state: 'connected', tags: 12, errors: 0 });
  });

  it('marks tags commError while the server is down and reads again once it is back', async () => {
    const first = await startModbusServer(0, 1);
    const driver = makeDriver('127.0.0.1', first.port, { Generation: { address: 'hr:20' } });
    drivers.push(driver);
    const sink = recordingSink();
    driver.start(sink);
    await waitFor('a first value', () => sink.latest.get('Plc.Generation')?.v === 1);

    await first.stop();
    await waitFor('commError', () => sink.latest.get('Plc.Generation')?.q === 'commError');
    expect(driver.status().state).not.toBe('connected');
    expect(driver.status().lastError).toContain(`127.0.0.1:${first.port}`);

    servers.push(await startModbusServer(first.port, 2));
    await waitFor('a value from the restarted server', () => sink.latest.get('Plc.Generation')?.v === 2);
    expect(sink.latest.get('Plc.Generation')?.q).toBe('good');
    expect(driver.status()).toMatchObject({ state: 'connected' });
    expect(driver.status().errors).toBeGreaterThan(0);
  });

  it('marks a register the server refuses, or a type that runs past its registers, bad and keeps reading the rest', async () => {
    const server = await startModbusServer(0, 1);
    servers.push(server);
    const driver = makeDriver('127.0.0.1', server.port, {
      Good: { address: 'hr:1' },
      Missing: { address: 'hr:1000' },
      TooWide: { address: 'hr:31:float32' },
    });
    drivers.push(driver);
    const sink = recordingSink();
    driver.start(sink);
    await waitFor('all three tags', () => sink.latest.size === 3);
    await waitFor('a second poll', () => sink.all.filter((s) => s.tag === 'Plc.Good').length >= 2);

    expect(sink.latest.get('Plc.Good')).toMatchObject({ v: 54321, q: 'good' });
    expect(sink.latest.get('Plc.Missing')?.q).toBe('bad');
    expect(sink.latest.get('Plc.TooWide')?.q).toBe('bad');
    const status = driver.status();
    expect(status.state).toBe('connected');
    expect(status.errors).toBe(2);
    expect(status.lastError).toMatch(/^tag Plc\.(Missing|TooWide) \(hr:(1000|31)\): .*ILLEGAL DATA ADDRESS/);
  });

  it('reports a host that cannot be reached on every tag, in status and once to the runtime, and keeps retrying', async () => {
    const driver = makeDriver('no-such-plc.invalid', 502, { Generation: { address: 'hr:20' } });
    drivers.push(driver);
    const sink = recordingSink();
    driver.start(sink);
    await waitFor('commError', () => sink.latest.get('Plc.Generation')?.q === 'commError');
    expect(driver.status().lastError).toContain('cannot connect to no-such-plc.invalid:502');
    await waitFor('a third attempt', () => driver.status().errors >= 3);
    expect(sink.all).toHaveLength(1);
    expect(sink.states).toEqual([
      ['connecting', null],
      ['error', expect.stringContaining('cannot connect to no-such-plc.invalid:502')],
    ]);
  });
});
