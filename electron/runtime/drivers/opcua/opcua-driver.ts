import { homedir } from 'node:os';
import { join } from 'node:path';
import { OPCUACertificateManager } from 'node-opcua-certificate-manager';
import { parseOpcuaAddress, type OpcuaAddress } from '../../../../shared/project/opcua-address.js';
import type { OpcuaDriverDef, OpcuaSettings, TagDef } from '../../../../shared/project/project-schema.js';
import type { DriverCounters, Quality, Sample } from '../../../../shared/protocol/entities.js';
import type { Clock } from '../../clock.js';
import { log, logError } from '../../log.js';
import type { Driver, DriverSink, WriteOutcome } from '../driver.js';
import { DriverReport } from '../driver-report.js';
import { reconnectDelayMs } from '../modbus/reconnect-backoff.js';
import { OpcuaConnection, type NodeValue } from './opcua-connection.js';
import { routeOpcuaLogs } from './opcua-log.js';
import { engineeringValue, numericType, qualityOf, sampleTime, wireValue, type NumericType } from './opcua-values.js';

interface OpcuaTag {
  id: string;
  address: OpcuaAddress;
  boolean: boolean;
  scaling: TagDef['scale'];
  /** The node's built-in type, learnt after connecting; null until then or when it cannot be read. */
  type: NumericType | null;
  /** Repeated in samples that carry no new value, so a trend does not drop to 0. */
  lastValue: number;
  /** The quality last delivered, so a reconnection re-reports a bad tag once. */
  quality: Quality | null;
  /** The tag's own problem (missing node, non-numeric type, Bad status), logged when it changes. */
  error: string | null;
  /** The connection problem last reported on this tag, so a retry that fails the same way adds no sample. */
  commError: string | null;
}

/**
 * Reads tags from one OPC UA server through a subscription (each tag a monitored item with its own
 * sampling interval) and writes them on request. A missing or non-numeric node marks its tag `bad`;
 * a lost connection marks every tag `commError` and reconnects, re-subscribing, with a doubling,
 * capped wait. Errors never stop the driver; they go to the tag, `status()` and the log.
 */
export class OpcuaDriver implements Driver {
  readonly id: string;
  private readonly settings: OpcuaSettings;
  private readonly tags: OpcuaTag[];
  private readonly byId: Map<string, OpcuaTag>;
  /** Made on the first connection attempt (it creates its folder), disposed on stop. */
  private certificateManager: OPCUACertificateManager | null = null;
  private sink: DriverSink | null = null;
  private connection: OpcuaConnection | null = null;
  private timer: NodeJS.Timeout | null = null;
  /** Samples of one publish, delivered together once the notifications of that message are handled. */
  private pending: Sample[] = [];
  private readonly report: DriverReport;
  private connectFailures = 0;

  constructor(
    def: OpcuaDriverDef,
    tags: readonly TagDef[],
    private readonly clock: Clock,
  ) {
    routeOpcuaLogs();
    this.id = def.id;
    this.report = new DriverReport(def.id, 'opcua');
    this.settings = def.settings;
    this.tags = tags.map((tag) => {
      const address = parseOpcuaAddress(tag.address);
      if (typeof address === 'string') throw new Error(`tag ${tag.id}: ${address}`);
      return { id: tag.id, address, boolean: tag.type === 'boolean', scaling: tag.scale, type: null, lastValue: 0, quality: null, error: null, commError: null };
    });
    this.byId = new Map(this.tags.map((tag) => [tag.id, tag]));
  }

  start(sink: DriverSink): void {
    this.sink = sink;
    this.connectSafely();
  }

  stop(): void {
    this.sink = null;
    this.report.stopped();
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    void this.connection?.close();
    this.connection = null;
    void this.certificateManager?.dispose().catch(() => undefined);
    this.certificateManager = null;
    this.pending = [];
  }

  status(): DriverCounters {
    return this.report.counters(this.tags.length);
  }

  tagError(tagId: string): string | null {
    const tag = this.byId.get(tagId);
    return tag ? (tag.commError ?? tag.error) : null;
  }

  async write(tagId: string, value: number): Promise<WriteOutcome> {
    const tag = this.byId.get(tagId);
    if (!tag) return { ok: false, error: `opcua ${this.id} has no tag ${tagId}` };
    const connection = this.connection;
    if (!connection || this.report.state !== 'connected') {
      const reason = this.report.reportedError();
      return { ok: false, error: `opcua ${this.id} is not connected to ${this.settings.endpointUrl}${reason ? ` (${reason})` : ''}; try again once it is` };
    }
    if (!tag.type) return { ok: false, error: `tag ${tagId} (${tag.address.nodeId}) cannot be written: ${tag.error ?? 'its node type is not known yet'}` };
    const wire = wireValue(tag.type, value, tag.boolean, tag.scaling);
    if (!wire.ok) return { ok: false, error: `tag ${tagId} (${tag.address.nodeId}): ${wire.error}` };
    const refusal = await connection.write(tag.address.nodeId, tag.type, wire.value);
    if (refusal) {
      log('warn', `opcua ${this.id} write of ${value} to ${tagId} (${tag.address.nodeId}) failed: ${refusal}`);
      return { ok: false, error: `writing ${value} to ${tagId} (${tag.address.nodeId}) failed: ${refusal}` };
    }
    return { ok: true };
  }

  /** A failure nobody foresaw (a PKI folder that cannot be written...) is one more reason to retry, never a crash. */
  private connectSafely(): void {
    this.connect().catch((error: unknown) => {
      if (!this.sink) return;
      logError(`opcua ${this.id} connecting failed unexpectedly`, error);
      this.connectFailures += 1;
      this.connectionLost(`connecting to ${this.settings.endpointUrl} failed: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
    });
  }

  private async connect(): Promise<void> {
    const sink = this.sink;
    if (!sink) return;
    if (this.report.state !== 'error') this.report.setState(sink, 'connecting', null);
    const certificates = this.certificates();
    if (typeof certificates === 'string') {
      this.connectFailures += 1;
      this.connectionLost(certificates);
      return;
    }
    let current: OpcuaConnection | null = null;
    const opened = await OpcuaConnection.open(this.settings, certificates, (reason) => {
      if (current && this.connection === current) this.connectionLost(reason);
    });
    if (typeof opened !== 'string') current = opened;
    if (this.sink !== sink) {
      if (typeof opened !== 'string') void opened.close();
      return;
    }
    if (typeof opened === 'string') {
      this.connectFailures += 1;
      this.connectionLost(opened);
      return;
    }
    this.connection = opened;
    try {
      await this.subscribe(opened);
    } catch (error) {
      this.connectFailures += 1;
      if (this.connection === opened) this.connectionLost(`subscribing at ${this.settings.endpointUrl} failed: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
      return;
    }
    if (this.connection !== opened) return;
    this.connectFailures = 0;
    log('info', `opcua ${this.id} connected to ${this.settings.endpointUrl} (security ${this.settings.securityMode}), ${this.tags.length} tags subscribed`);
    this.report.setState(this.sink, 'connected', null);
  }

  private certificates(): OPCUACertificateManager | string {
    const rootFolder = this.settings.pkiDir ?? join(homedir(), '.tandem', 'opcua-pki');
    try {
      this.certificateManager ??= new OPCUACertificateManager({ rootFolder, automaticallyAcceptUnknownCertificate: this.settings.acceptUnknownServerCertificate });
      return this.certificateManager;
    } catch (error) {
      return `cannot use the certificate folder ${rootFolder}: ${error instanceof Error ? error.message : String(error)}; set pkiDir to a folder the runtime may write`;
    }
  }

  /** Learns each node's type, marks the unusable ones bad, and monitors the rest. */
  private async subscribe(connection: OpcuaConnection): Promise<void> {
    const infos = await connection.inspect(this.tags.map((tag) => tag.address.nodeId));
    if (this.connection !== connection) return;
    const monitored: OpcuaTag[] = [];
    const bad: Sample[] = [];
    this.tags.forEach((tag, i) => {
      const info = infos[i] ?? { ok: false as const, error: 'the server gave no answer for it' };
      tag.commError = null;
      if (info.ok) {
        tag.type = info.type;
        monitored.push(tag);
      } else {
        tag.type = null;
        bad.push(...this.markBad(tag, info.error));
      }
    });
    const refusals = await connection.monitor(
      monitored.map((tag) => ({ nodeId: tag.address.nodeId, samplingMs: tag.address.samplingMs ?? this.settings.samplingIntervalMs })),
      (index, value) => {
        const tag = monitored[index];
        if (tag && this.connection === connection) this.deliver(this.sampleOf(tag, value));
      },
    );
    if (this.connection !== connection) return;
    refusals.forEach((refusal, i) => {
      const tag = monitored[i];
      if (refusal && tag) bad.push(...this.markBad(tag, refusal));
    });
    if (bad.length > 0) this.sink?.samples(bad);
  }

  /** A `bad` sample for a tag that cannot be read, unless the last one delivered was already bad. */
  private markBad(tag: OpcuaTag, error: string): Sample[] {
    this.report.noteTagError(tag, tag.address.nodeId, error);
    if (tag.quality === 'bad') return [];
    tag.quality = 'bad';
    return [{ tag: tag.id, t: this.clock.now(), v: tag.lastValue, q: 'bad' }];
  }

  private sampleOf(tag: OpcuaTag, value: NodeValue): Sample {
    const t = sampleTime(value.source, value.server, this.clock.now());
    const quality = qualityOf(value.statusCode);
    const type = numericType(value.builtinType);
    if (type) tag.type = type;
    const v = type ? engineeringValue(type, value.raw, tag.boolean, tag.scaling) : null;
    if (quality === 'bad') {
      this.report.noteTagError(tag, tag.address.nodeId, `the server reports ${value.statusText}`);
    } else if (v === null) {
      this.report.noteTagError(tag, tag.address.nodeId, `the node holds a ${value.isArray ? `${value.builtinType} array` : value.builtinType} that is not a finite number`);
    } else {
      this.report.noteTagError(tag, tag.address.nodeId, null);
    }
    const q: Quality = v === null ? 'bad' : quality;
    tag.quality = q;
    if (v === null || q === 'bad') return { tag: tag.id, t, v: tag.lastValue, q };
    tag.lastValue = v;
    return { tag: tag.id, t, v, q };
  }

  private deliver(sample: Sample): void {
    if (this.pending.length === 0) setImmediate(() => this.flush());
    this.pending.push(sample);
  }

  private flush(): void {
    const samples = this.pending;
    this.pending = [];
    if (samples.length > 0) this.sink?.samples(samples);
  }

  /** Marks every tag commError once per reason, then tries again after the back-off wait. */
  private connectionLost(reason: string): void {
    void this.connection?.close();
    this.connection = null;
    if (this.timer) clearTimeout(this.timer);
    this.flush();
    this.report.recordError(reason);
    const delayMs = reconnectDelayMs(Math.max(1, this.connectFailures), this.settings.reconnectFirstMs, this.settings.reconnectMaxMs);
    if (this.report.reportedError() !== reason) log('warn', `opcua ${this.id} ${reason}; retrying`);
    this.report.setState(this.sink, 'error', reason);
    log('debug', `opcua ${this.id} retrying in ${delayMs} ms`);
    const t = this.clock.now();
    const samples: Sample[] = [];
    for (const tag of this.tags) {
      if (tag.commError === reason) continue;
      tag.commError = reason;
      tag.quality = 'commError';
      samples.push({ tag: tag.id, t, v: tag.lastValue, q: 'commError' });
    }
    if (samples.length > 0) this.sink?.samples(samples);
    this.timer = setTimeout(() => this.connectSafely(), delayMs);
  }
}
