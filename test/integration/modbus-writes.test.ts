import { afterEach, describe, expect, it } from 'vitest';
import type { ModbusDriver } from '../../electron/runtime/drivers/modbus/modbus-driver.js';
import { makeModbusDriver, mbpollRead, recordingSink, waitUntil, type TagSpec } from '../support/modbus-driver-harness.js';
import { startModbusServer, type ModbusTestServer } from '../support/modbus-server.js';

const TAGS: Record<string, TagSpec> = {
  Setpoint: { address: 'hr:14:int16' },
  Flow: { address: 'hr:16:float32?wordOrder=little&group=slow' },
  Percent: { address: 'hr:18', scale: { rawLow: 0, rawHigh: 27648, euLow: 0, euHigh: 100 } },
  Pump: { address: 'co:5', type: 'boolean' },
  Level: { address: 'ir:0' },
  Input: { address: 'di:1', type: 'boolean' },
  Hole: { address: 'hr:12' },
};

describe('Modbus writes against a pymodbus server', () => {
  const servers: ModbusTestServer[] = [];
  const drivers: ModbusDriver[] = [];

  afterEach(async () => {
    drivers.splice(0).forEach((driver) => driver.stop());
    await Promise.all(servers.splice(0).map((server) => server.stop()));
  });

  async function connected(options: { refuse?: number[] } = {}) {
    const server = await startModbusServer(0, 1, options);
    servers.push(server);
    const driver = makeModbusDriver('127.0.0.1', server.port, TAGS);
    drivers.push(driver);
    const sink = recordingSink();
    driver.start(sink);
    await waitUntil('a first poll of every group', () => sink.latest.has('Plc.Setpoint') && sink.latest.has('Plc.Flow'));
    return { server, driver, sink };
  }

  it('writes an int16, a float32 in little word order, a scaled register and a coil; the driver and mbpoll read them back', async () => {
    const { server, driver, sink } = await connected();
    expect(await driver.write('Plc.Setpoint', -1500)).toEqual({ ok: true });
    expect(await driver.write('Plc.Flow', 12.75)).toEqual({ ok: true });
    expect(await driver.write('Plc.Percent', 25)).toEqual({ ok: true });
    expect(await driver.write('Plc.Pump', 1)).toEqual({ ok: true });

    const value = (id: string) => sink.latest.get(`Plc.${id}`);
    await waitUntil('the written values in the samples', () =>
      value('Setpoint')?.v === -1500 && value('Flow')?.v === 12.75 && value('Percent')?.v === 25 && value('Pump')?.v === 1,
    );
    expect(['Setpoint', 'Flow', 'Percent', 'Pump'].map((id) => value(id)?.q)).toEqual(['good', 'good', 'good', 'good']);

    expect(await mbpollRead(server.port, 14, '4')).toBe(65_536 - 1500);
    expect(await mbpollRead(server.port, 16, '4:float')).toBe(12.75);
    expect(await mbpollRead(server.port, 18, '4')).toBe(6912);
    expect(await mbpollRead(server.port, 5, '0')).toBe(1);

    expect(await driver.write('Plc.Pump', 0)).toEqual({ ok: true });
    await waitUntil('the coil off again', () => value('Pump')?.v === 0);
    expect(await mbpollRead(server.port, 5, '0')).toBe(0);
  });

  it('refuses input registers, discrete inputs and values outside the type range without sending anything', async () => {
    const { server, driver } = await connected();
    expect(await driver.write('Plc.Level', 1)).toEqual({ ok: false, error: expect.stringContaining('ir:0 is an input register, which Modbus only reads') });
    expect(await driver.write('Plc.Input', 1)).toEqual({ ok: false, error: expect.stringContaining('di:1 is a discrete input') });
    expect(await driver.write('Plc.Setpoint', 40_000)).toEqual({ ok: false, error: 'cannot write 40000 to Plc.Setpoint: hr:14 is a int16, which holds -32768 to 32767' });
    expect(await driver.write('Plc.Percent', 300)).toEqual({ ok: false, error: expect.stringMatching(/^cannot write 300 to Plc\.Percent: it scales to 82944, .*0 to 65535/) });
    expect(await driver.write('Plc.Pump', 2)).toEqual({ ok: false, error: expect.stringContaining('takes 0 or 1') });
    expect(await mbpollRead(server.port, 14, '4')).toBe(0);
    expect(await mbpollRead(server.port, 5, '0')).toBe(0);
  });

  it('returns the server refusal of a write as a sentence and keeps the connection', async () => {
    const { driver, sink } = await connected({ refuse: [12] });
    const outcome = await driver.write('Plc.Hole', 5);
    expect(outcome).toEqual({ ok: false, error: expect.stringMatching(/^cannot write 5 to Plc\.Hole \(hr:12\): the server refused the write: .*ILLEGAL DATA ADDRESS/) });
    const polls = sink.all.length;
    await waitUntil('more polls', () => sink.all.length > polls + 10);
    expect(driver.status().state).toBe('connected');
  });

  it('says it is not connected when there is no server, and does not throw', async () => {
    const driver = makeModbusDriver('127.0.0.1', 1, TAGS);
    drivers.push(driver);
    expect(await driver.write('Plc.Setpoint', 1)).toEqual({ ok: false, error: expect.stringContaining('modbus Plc is not connected to 127.0.0.1:1') });
    driver.start(recordingSink());
    await waitUntil('a failed connection', () => driver.status().state === 'error');
    expect(await driver.write('Plc.Setpoint', 1)).toEqual({ ok: false, error: expect.stringMatching(/not connected to 127\.0\.0\.1:1 \(cannot connect/) });
    expect(await driver.write('Plc.Nothing', 1)).toEqual({ ok: false, error: 'modbus Plc has no tag Plc.Nothing' });
  });
});
