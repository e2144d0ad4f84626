import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { ModbusDriver, type ModbusDriverOptions } from '../../electron/runtime/drivers/modbus/modbus-driver.js';
import type { DriverSink } from '../../electron/runtime/drivers/driver.js';
import { systemClock } from '../../electron/runtime/clock.js';
import { parseProject } from '../../shared/project/load-project.js';
import type { DriverState, Sample } from '../../shared/protocol/entities.js';

export type TagSpec = { address: string; type?: 'boolean'; scale?: object };

/**
 * A ModbusDriver `Plc` on host:port with groups `fast` (50 ms) and `slow` (200 ms) unless `settings`
 * says otherwise; tags are named `Plc.<key>`.
 */
export function makeModbusDriver(
  host: string,
  port: number,
  tags: Record<string, TagSpec>,
  options: ModbusDriverOptions = {},
  settings: Record<string, unknown> = {},
): ModbusDriver {
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
          ...settings,
        },
      },
    ],
    tags: Object.entries(tags).map(([id, tag]) => ({ id: `Plc.${id}`, driver: 'Plc', writable: true, ...tag })),
  });
  if (!result.ok) throw new Error(result.errors.join('\n'));
  const def = result.project.drivers[0];
  if (def?.type !== 'modbus') throw new Error('expected the modbus driver');
  return new ModbusDriver(def, result.project.tags, systemClock, options);
}

/** Collects what the driver delivers; `latest` is the newest sample of each tag. */
export function recordingSink(): DriverSink & { latest: Map<string, Sample>; all: Sample[]; states: [DriverState, string | null][] } {
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

export async function waitUntil(what: string, condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * Reads one value with mbpoll (libmodbus, a third implementation; Debian package `mbpoll`), 0-based.
 * `type`: `4` holding register, `4:float` float32 (add `-B` for big word order), `0` coil.
 */
export async function mbpollRead(port: number, offset: number, type: string, extra: string[] = []): Promise<number> {
  const args = ['-m', 'tcp', '-a', '1', '-0', '-r', String(offset), '-c', '1', '-t', type, ...extra, '-1', '-p', String(port), '127.0.0.1'];
  const { stdout } = await promisify(execFile)('mbpoll', args, { encoding: 'utf8', timeout: 10_000 });
  const match = new RegExp(`^\\[${offset}\\]:\\s+(-?[\\d.]+)`, 'm').exec(stdout);
  if (!match) throw new Error(`mbpoll ${args.join(' ')} gave no value: ${stdout}`);
  return Number(match[1]);
}
