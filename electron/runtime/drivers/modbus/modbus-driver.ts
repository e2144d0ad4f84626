import { parseModbusAddress, type ModbusAddress } from '../../../../shared/project/modbus-address.js';
import { scale } from '../../../../shared/domain/alarm-condition.js';
import type { ModbusDriverDef, ModbusSettings, TagDef } from '../../../../shared/project/project-schema.js';
import type { DriverState, DriverCounters, Sample } from '../../../../shared/protocol/entities.js';
import type { Clock } from '../../clock.js';
import { log } from '../../log.js';
import type { Driver, DriverSink, WriteOutcome } from '../driver.js';
import { ModbusConnection, type ReadResult } from './modbus-connection.js';
import { PollSchedule } from './poll-schedule.js';
import { reconnectDelayMs } from './reconnect-backoff.js';
import { decodeRegisters } from './register-decoding.js';

interface ModbusTag {
  id: string;
  address: ModbusAddress;
  boolean: boolean;
  scaling: TagDef['scale'];
  /** Repeated in samples that carry no new value, so a trend does not drop to 0. */
  lastValue: number;
  /** The tag's own problem (a refused read, a bad value), logged when it changes rather than on every poll. */
  error: string | null;
  /** The connection problem last reported on this tag, so a retry that fails the same way adds no sample. */
  commError: string | null;
}

/**
 * Reads tags from one Modbus TCP server (read-only). Each poll group is read on its own period; a
 * refused read marks its tag `bad`, a lost connection marks every tag `commError` and reconnects
 * with a doubling, capped wait. Errors never stop the driver; they go to the tag, `status()` and the log.
 */
export class ModbusDriver implements Driver {
  readonly id: string;
  private readonly settings: ModbusSettings;
  private readonly tags: ModbusTag[];
  private sink: DriverSink | null = null;
  private connection: ModbusConnection | null = null;
  private schedule: PollSchedule | null = null;
  private timer: NodeJS.Timeout | null = null;
  private readonly polling = new Set<string>();
  /** Groups already reported as slower than their period, so the warning is logged once. */
  private readonly overrun = new Set<string>();
  private state: DriverState = 'disconnected';
  /** What the sink last heard: a retry that fails the same way is not reported again (the event list would fill up). */
  private reported: { state: DriverState; error: string | null } | null = null;
  private connectFailures = 0;
  private errors = 0;
  private lastError: string | null = null;

  constructor(
    def: ModbusDriverDef,
    tags: readonly TagDef[],
    private readonly clock: Clock,
  ) {
    this.id = def.id;
    this.settings = def.settings;
    this.tags = tags.map((tag) => {
      const address = parseModbusAddress(tag.address, def.settings);
      if (typeof address === 'string') throw new Error(`tag ${tag.id}: ${address}`);
      return { id: tag.id, address, boolean: tag.type === 'boolean', scaling: tag.scale, lastValue: 0, error: null, commError: null };
    });
  }

  start(sink: DriverSink): void {
    this.sink = sink;
    void this.connect();
  }

  stop(): void {
    this.sink = null;
    this.reported = null;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.connection?.close();
    this.connection = null;
    this.schedule = null;
    this.polling.clear();
    this.state = 'disconnected';
  }

  status(): DriverCounters {
    return { id: this.id, type: 'modbus', state: this.state, tags: this.tags.length, errors: this.errors, lastError: this.lastError };
  }

  tagError(tagId: string): string | null {
    const tag = this.tags.find((candidate) => candidate.id === tagId);
    return tag ? (tag.commError ?? tag.error) : null;
  }

  write(): Promise<WriteOutcome> {
    return Promise.resolve({ ok: false, error: `modbus ${this.id} does not write yet` });
  }

  private async connect(): Promise<void> {
    const sink = this.sink;
    if (!sink) return;
    if (this.state !== 'error') this.setState('connecting', null);
    const { host, port, unitId, timeoutMs } = this.settings;
    const connection = new ModbusConnection({ host, port, unitId, timeoutMs });
    this.connection = connection;
    const failure = await connection.connect();
    if (this.sink !== sink || this.connection !== connection) return;
    if (failure) {
      this.connectFailures += 1;
      this.connectionLost(failure);
      return;
    }
    this.connectFailures = 0;
    log('info', `modbus ${this.id} connected to ${host}:${port} (unit ${unitId})`);
    this.setState('connected', null);
    connection.onClose(() => {
      if (this.connection === connection) this.connectionLost(`connection to ${host}:${port} closed`);
    });
    this.schedule = new PollSchedule(this.settings.pollGroups, this.clock.now());
    this.wake();
  }

  /** Marks every tag commError once, then tries again after the back-off wait. */
  private connectionLost(reason: string): void {
    this.connection?.close();
    this.connection = null;
    this.schedule = null;
    this.polling.clear();
    if (this.timer) clearTimeout(this.timer);
    this.recordError(reason);
    const delayMs = reconnectDelayMs(Math.max(1, this.connectFailures), this.settings.reconnectFirstMs, this.settings.reconnectMaxMs);
    this.setState('error', reason);
    log('debug', `modbus ${this.id} retrying in ${delayMs} ms`);
    const t = this.clock.now();
    const samples = this.tags
      .filter((tag) => tag.commError !== reason)
      .map((tag) => this.sampleOf(tag, t, { ok: false, kind: 'comm', error: reason }));
    if (samples.length > 0) this.sink?.samples(samples);
    this.timer = setTimeout(() => void this.connect(), delayMs);
  }

  private wake(): void {
    const schedule = this.schedule;
    if (!schedule || !this.sink) return;
    for (const group of schedule.due(this.clock.now())) {
      if (this.polling.has(group)) this.reportOverrun(group);
      else void this.poll(group);
    }
    this.timer = setTimeout(() => this.wake(), Math.max(0, schedule.nextDueMs() - this.clock.now()));
  }

  /** Reads the group's tags one request each, in order; delivers them together. */
  private async poll(group: string): Promise<void> {
    const connection = this.connection;
    if (!connection) return;
    this.polling.add(group);
    const samples: Sample[] = [];
    for (const tag of this.tags) {
      if (tag.address.group !== group) continue;
      const { area, offset, count } = tag.address;
      const result = await connection.read(area, offset, count);
      if (this.connection !== connection) return;
      if (!result.ok && result.kind === 'comm') {
        this.connectionLost(`reading ${tag.id} from ${this.settings.host}:${this.settings.port} failed: ${result.error}`);
        return;
      }
      samples.push(this.sampleOf(tag, this.clock.now(), result));
    }
    this.polling.delete(group);
    if (samples.length > 0) this.sink?.samples(samples);
  }

  private reportOverrun(group: string): void {
    if (this.overrun.has(group)) return;
    this.overrun.add(group);
    const periodMs = this.settings.pollGroups.find((g) => g.id === group)?.periodMs ?? 0;
    log('warn', `modbus ${this.id} poll group "${group}" takes longer than its ${periodMs} ms period; polls are skipped while it reads (lengthen periodMs or move tags to a slower group)`);
  }

  private sampleOf(tag: ModbusTag, t: number, result: ReadResult): Sample {
    if (!result.ok && result.kind === 'comm') {
      tag.commError = result.error;
      return { tag: tag.id, t, v: tag.lastValue, q: 'commError' };
    }
    tag.commError = null;
    const value = result.ok ? this.decode(tag, result.values) : null;
    this.noteTagError(tag, !result.ok ? result.error : value === null ? 'the registers do not hold a finite number' : null);
    if (value === null) return { tag: tag.id, t, v: tag.lastValue, q: 'bad' };
    tag.lastValue = value;
    return { tag: tag.id, t, v: value, q: 'good' };
  }

  private decode(tag: ModbusTag, registers: number[]): number | null {
    const { type, byteOrder, wordOrder } = tag.address;
    const raw = type === 'bit' ? (registers[0] ?? 0) : decodeRegisters(registers, type, byteOrder, wordOrder);
    if (!Number.isFinite(raw)) return null;
    if (tag.boolean) return raw !== 0 ? 1 : 0;
    return scale(raw, tag.scaling);
  }

  private noteTagError(tag: ModbusTag, error: string | null): void {
    if (error === tag.error) return;
    if (error) {
      this.recordError(`tag ${tag.id} (${tag.address.area}:${tag.address.offset}): ${error}`);
      log('warn', `modbus ${this.id} ${this.lastError ?? ''}`);
    } else {
      log('info', `modbus ${this.id} tag ${tag.id} reads again`);
    }
    tag.error = error;
  }

  private recordError(message: string): void {
    this.errors += 1;
    this.lastError = message;
  }

  private setState(state: DriverState, error: string | null): void {
    this.state = state;
    if (this.reported?.state === state && this.reported.error === error) return;
    this.reported = { state, error };
    this.sink?.state(state, error);
  }
}
