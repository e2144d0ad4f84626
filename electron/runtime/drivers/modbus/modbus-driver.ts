import { parseModbusAddress, type ModbusAddress, type ModbusArea } from '../../../../shared/project/modbus-address.js';
import { scale } from '../../../../shared/domain/alarm-condition.js';
import type { ModbusDriverDef, ModbusSettings, PollGroup, TagDef } from '../../../../shared/project/project-schema.js';
import type { DriverState, DriverCounters, Sample } from '../../../../shared/protocol/entities.js';
import type { Clock } from '../../clock.js';
import { log } from '../../log.js';
import type { Driver, DriverSink, WriteOutcome } from '../driver.js';
import { ModbusConnection, type ReadResult } from './modbus-connection.js';
import { PollSchedule, STALE_PERIODS } from './poll-schedule.js';
import { planReads, READ_LIMITS, SINGLE_READS } from './read-plan.js';
import { reconnectDelayMs } from './reconnect-backoff.js';
import { decodeRegisters } from './register-decoding.js';
import { writeRequest } from './write-value.js';

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
  /** Why the tag was marked stale (its group has not completed a poll for a while); cleared by the next read. */
  stale: string | null;
}

/** One read request of a poll group: `count` registers (or bits) from `offset`, decoded into `tags`. */
interface TagBlock {
  area: ModbusArea;
  offset: number;
  count: number;
  tags: ModbusTag[];
}

export interface ModbusDriverOptions {
  /** Read neighbouring registers of a group in one request (default). Off: one request per tag, for comparison. */
  mergeReads?: boolean;
}

/**
 * Reads and writes tags of one Modbus TCP server. Each poll group is read on its own period, in as
 * few requests as neighbouring addresses allow; a refused read marks its tag `bad`, a group that has
 * not completed a poll for three periods is `stale`, a lost connection marks every tag `commError`
 * and reconnects with a doubling, capped wait. Errors never stop the driver; they go to the tag,
 * `status()` and the log.
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
  /** Groups to poll again as soon as their poll in flight ends (a write changed one of their tags). */
  private readonly repoll = new Set<string>();
  /** Each group's read requests; a merged request the server refuses is split for good. */
  private readonly plans: Map<string, TagBlock[]>;
  /** Groups already reported as slower than their period, so the warning is logged once. */
  private readonly overrun = new Set<string>();
  /** Groups already reported stale: a server that stays slow would otherwise log a warning every few periods. */
  private readonly staleLogged = new Set<string>();
  private readonly byId: Map<string, ModbusTag>;
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
    options: ModbusDriverOptions = {},
  ) {
    this.id = def.id;
    this.settings = def.settings;
    this.tags = tags.map((tag) => {
      const address = parseModbusAddress(tag.address, def.settings);
      if (typeof address === 'string') throw new Error(`tag ${tag.id}: ${address}`);
      return { id: tag.id, address, boolean: tag.type === 'boolean', scaling: tag.scale, lastValue: 0, error: null, commError: null, stale: null };
    });
    this.byId = new Map(this.tags.map((tag) => [tag.id, tag]));
    this.plans = planGroupReads(this.tags, def.settings.pollGroups, options.mergeReads ?? true);
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
    this.repoll.clear();
    this.state = 'disconnected';
  }

  status(): DriverCounters {
    return { id: this.id, type: 'modbus', state: this.state, tags: this.tags.length, errors: this.errors, lastError: this.lastError };
  }

  tagError(tagId: string): string | null {
    const tag = this.byId.get(tagId);
    return tag ? (tag.commError ?? tag.error ?? tag.stale) : null;
  }

  /**
   * Writes one holding register (function 6), a 32-bit pair (16) or a coil (5). On success the
   * tag's group is polled at once (or right after its poll in flight), so the new value follows promptly.
   */
  async write(tagId: string, value: number): Promise<WriteOutcome> {
    const tag = this.byId.get(tagId);
    if (!tag) return { ok: false, error: `modbus ${this.id} has no tag ${tagId}` };
    const request = writeRequest(tag, value);
    if (typeof request === 'string') return { ok: false, error: request };
    const { host, port } = this.settings;
    const connection = this.connection;
    if (!connection || this.state !== 'connected') {
      const why = this.lastError ? ` (${this.lastError})` : '';
      return { ok: false, error: `cannot write ${value} to ${tag.id}: modbus ${this.id} is not connected to ${host}:${port}${why}; try again once it reconnects` };
    }
    const result = await connection.write(request);
    const where = `${tag.address.area}:${tag.address.offset}`;
    if (result.ok) {
      log('info', `modbus ${this.id} wrote ${value} to ${tag.id} (${where})`);
      this.pollSoon(tag.address.group);
      return { ok: true };
    }
    if (result.kind === 'exception') return { ok: false, error: `cannot write ${value} to ${tag.id} (${where}): ${result.error}` };
    if (this.connection === connection) this.connectionLost(`writing ${tag.id} to ${host}:${port} failed: ${result.error}`);
    return { ok: false, error: `writing ${value} to ${tag.id} (${where}) got no answer (${result.error}); the device may or may not have taken it: check the value once the driver reconnects` };
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
    this.repoll.clear();
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
    const nowMs = this.clock.now();
    for (const group of schedule.due(nowMs)) {
      if (this.polling.has(group)) this.reportOverrun(group);
      else void this.poll(group);
    }
    for (const group of schedule.newlyStale(nowMs)) this.markStale(group, schedule.sinceCompletedMs(group, nowMs), nowMs);
    this.timer = setTimeout(() => this.wake(), Math.max(0, schedule.nextDueMs() - this.clock.now()));
  }

  private pollSoon(group: string): void {
    if (!this.connection) return;
    if (this.polling.has(group)) this.repoll.add(group);
    else void this.poll(group);
  }

  /**
   * Reads the group's blocks in turn and delivers every tag at once, stamped with the time the poll
   * completed (so a `stale` sample sent meanwhile never comes after a newer one). A merged block the
   * server refuses is split into one read per tag, now and in later polls, so only the wrong tag is bad.
   */
  private async poll(group: string): Promise<void> {
    const connection = this.connection;
    if (!connection) return;
    this.polling.add(group);
    const plan = this.plans.get(group) ?? [];
    const results: [ModbusTag, ReadResult][] = [];
    for (let i = 0; i < plan.length; i++) {
      const block = plan[i]!;
      const result = await connection.read(block.area, block.offset, block.count);
      if (this.connection !== connection) return;
      if (!result.ok && result.kind === 'comm') {
        this.connectionLost(`reading ${describeBlock(block)} from ${this.settings.host}:${this.settings.port} failed: ${result.error}`);
        return;
      }
      if (!result.ok && block.tags.length > 1) {
        log('info', `modbus ${this.id} reads ${describeBlock(block)} one tag at a time from now on: ${result.error}`);
        plan.splice(i, 1, ...block.tags.map((tag) => ({ area: block.area, offset: tag.address.offset, count: tag.address.count, tags: [tag] })));
        i -= 1;
        continue;
      }
      for (const tag of block.tags) results.push([tag, result.ok ? sliceOf(result.values, block, tag) : result]);
    }
    this.polling.delete(group);
    const t = this.clock.now();
    this.schedule?.completed(group, t);
    const samples = results.map(([tag, result]) => this.sampleOf(tag, t, result));
    if (samples.length > 0) this.sink?.samples(samples);
    if (this.repoll.delete(group)) void this.poll(group);
  }

  /** Repeats the last value of the group's readable tags as `stale`, once, until the group completes a poll. */
  private markStale(group: string, sinceMs: number, t: number): void {
    const periodMs = this.periodOf(group);
    const reason = `poll group "${group}" has not completed a poll for ${sinceMs} ms (${STALE_PERIODS} x its ${periodMs} ms period); the server answers slowly or the group holds more than it can read in time`;
    const samples: Sample[] = [];
    for (const tag of this.tags) {
      if (tag.address.group !== group || tag.commError || tag.error) continue;
      tag.stale = reason;
      samples.push({ tag: tag.id, t, v: tag.lastValue, q: 'stale' });
    }
    log(this.staleLogged.has(group) ? 'debug' : 'warn', `modbus ${this.id} ${reason}`);
    this.staleLogged.add(group);
    if (samples.length > 0) this.sink?.samples(samples);
  }

  private periodOf(group: string): number {
    return this.settings.pollGroups.find((g) => g.id === group)?.periodMs ?? 0;
  }

  private reportOverrun(group: string): void {
    if (this.overrun.has(group)) return;
    this.overrun.add(group);
    const periodMs = this.periodOf(group);
    log('warn', `modbus ${this.id} poll group "${group}" takes longer than its ${periodMs} ms period; polls are skipped while it reads (lengthen periodMs or move tags to a slower group)`);
  }

  private sampleOf(tag: ModbusTag, t: number, result: ReadResult): Sample {
    tag.stale = null;
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

/** Per poll group, the read requests for its tags: per area, neighbours merged unless `merge` is off. */
function planGroupReads(tags: readonly ModbusTag[], groups: readonly PollGroup[], merge: boolean): Map<string, TagBlock[]> {
  const plans = new Map<string, TagBlock[]>();
  for (const group of groups) {
    const blocks: TagBlock[] = [];
    for (const area of ['hr', 'ir', 'co', 'di'] as const) {
      const members = tags.filter((tag) => tag.address.group === group.id && tag.address.area === area);
      const planned = planReads(members.map((tag) => tag.address), merge ? READ_LIMITS[area] : SINGLE_READS);
      for (const block of planned) blocks.push({ area, offset: block.offset, count: block.count, tags: block.members.map((i) => members[i]!) });
    }
    plans.set(group.id, blocks);
  }
  return plans;
}

function sliceOf(values: readonly number[], block: TagBlock, tag: ModbusTag): ReadResult {
  const start = tag.address.offset - block.offset;
  return { ok: true, values: values.slice(start, start + tag.address.count) };
}

function describeBlock(block: TagBlock): string {
  const first = block.tags[0]!;
  if (block.tags.length === 1) return `${first.id} (${block.area}:${block.offset})`;
  return `${block.tags.length} tags at ${block.area}:${block.offset}-${block.offset + block.count - 1}`;
}
