import { afterEach, describe, expect, it } from 'vitest';
import type { ModbusDriver } from '../../electron/runtime/drivers/modbus/modbus-driver.js';
import { makeModbusDriver as makeDriver, recordingSink, waitUntil as waitFor, type TagSpec } from '../support/modbus-driver-harness.js';
import { startModbusServer, type ModbusTestServer } from '../support/modbus-server.js';

const TAGS: Record<string, TagSpec> = {
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

  it('reads the same values with neighbouring registers merged as with one request per tag', async () => {
    const server = await startModbusServer(0, 1);
    servers.push(server);
    const readAll = async (mergeReads: boolean) => {
      const driver = makeDriver('127.0.0.1', server.port, TAGS, { mergeReads });
      drivers.push(driver);
      const sink = recordingSink();
      driver.start(sink);
      await waitFor('every tag read', () => sink.latest.size === Object.keys(TAGS).length);
      return Object.fromEntries([...sink.latest].map(([tag, sample]) => [tag, [sample.v, sample.q]]));
    };
    expect(await readAll(true)).toEqual(await readAll(false));
  });

  it('marks only the tag on a refused register bad when it sits in the middle of a merged block', async () => {
    const server = await startModbusServer(0, 1, { refuse: [12] });
    servers.push(server);
    const driver = makeDriver('127.0.0.1', server.port, {
      Before: { address: 'hr:10:int16?byteOrder=little' },
      Next: { address: 'hr:11' },
      Hole: { address: 'hr:12' },
      After: { address: 'hr:13' },
      Float: { address: 'hr:8:float32?wordOrder=little' },
    });
    drivers.push(driver);
    const sink = recordingSink();
    driver.start(sink);
    await waitFor('a second poll', () => sink.all.filter((s) => s.tag === 'Plc.Before').length >= 2);

    const latest = (id: string) => sink.latest.get(`Plc.${id}`);
    expect(latest('Before')).toMatchObject({ v: -1234, q: 'good' });
    expect(latest('Float')).toMatchObject({ v: 21.5, q: 'good' });
    expect(latest('Next')).toMatchObject({ v: 0, q: 'good' });
    expect(latest('After')).toMatchObject({ v: 0, q: 'good' });
    expect(latest('Hole')?.q).toBe('bad');
    expect(new Set(sink.all.filter((s) => s.q !== 'good').map((s) => s.tag))).toEqual(new Set(['Plc.Hole']));
    expect(driver.status()).toMatchObject({ errors: 1, lastError: expect.stringMatching(/^tag Plc\.Hole \(hr:12\): .*ILLEGAL DATA ADDRESS/) });
    expect(driver.tagError('Plc.Hole')).toMatch(/ILLEGAL DATA ADDRESS/);
    expect(driver.tagError('Plc.Next')).toBeNull();
  });

  it('marks a group stale while the server takes longer than three periods to answer, and good again when it answers', async () => {
    const server = await startModbusServer(0, 1, { slowMs: 300 });
    servers.push(server);
    const driver = makeDriver('127.0.0.1', server.port, { Generation: { address: 'hr:20' }, Slow: { address: 'hr:30' } });
    drivers.push(driver);
    const sink = recordingSink();
    // What tagError said as each sample of the tag arrived.
    const reasons: [string, string | null][] = [];
    const record = sink.samples;
    sink.samples = (samples) => {
      for (const sample of samples) if (sample.tag === 'Plc.Generation') reasons.push([sample.q, driver.tagError(sample.tag)]);
      record(samples);
    };
    driver.start(sink);
    const qualities = () => sink.all.filter((s) => s.tag === 'Plc.Generation').map((s) => `${s.q}:${s.v}`).join(' ');
    await waitFor('good, stale, good', () => /good:1 stale:1 good:1/.test(qualities()));
    expect(qualities()).not.toMatch(/stale:1 stale/);
    const firstStale = reasons.findIndex(([q]) => q === 'stale');
    expect(reasons[firstStale]?.[1]).toMatch(/^poll group "fast" has not completed a poll for \d+ ms \(3 x its 50 ms period\)/);
    expect(reasons[firstStale + 1]).toEqual(['good', null]);
    expect(driver.status()).toMatchObject({ state: 'connected', errors: 0 });
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
