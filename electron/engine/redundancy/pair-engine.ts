import type { Project } from '../../../shared/project/load-project.js';
import type { AlarmStatus, Sample } from '../../../shared/protocol/entities.js';
import { APPEND_OPS_MAX, type DriverHealth, type PeerEnvelope, type PeerMessage, type PeerRole } from '../../../shared/protocol/peer.js';
import type { LoggedOp, Op } from '../../../shared/protocol/ops.js';
import { ProjectProcessor } from '../project/project-processor.js';
import type { CommandReply, CommandRequest, EngineInput, Effect, PairConfig, StoredState } from './engine-types.js';
import { EpochHistory } from './epoch-history.js';
import { SampleBuffer } from './sample-buffer.js';

/**
 * How long a starting node that hears nobody waits before it serves alone: longer than the failure
 * timeout and than the peer link takes to redial (at most 1 s) and authenticate, so two nodes started
 * a moment apart do not both begin by serving.
 */
export function candidateAloneMs(config: Pick<PairConfig, 'failureTimeoutMs' | 'startupAloneMs'>): number {
  return config.startupAloneMs ?? Math.max(2 * config.failureTimeoutMs, 2_000);
}

/** Ops sent to the Standby but not yet acknowledged, past which live streaming pauses for catch-up. */
const LAG_OPS_MAX = 20_000;
/** Samples the autonomous buffer keeps at most, whatever its time window. */
const BUFFER_SAMPLES_MAX = 5_000_000;

interface PeerView {
  heardAtMs: number | null;
  bufferedFromMs: number | null;
  role: PeerRole | null;
  server: string | null;
  seq: number;
  lastSentAtMs: number | null;
  lastReceivedAtMs: number;
}

interface Pending {
  seq: number | null;
  alarms: AlarmStatus[];
}

/**
 * One project's redundancy on one node: roles, epochs, heartbeats, failure detection, log
 * replication, command confirmation and the autonomous buffer. Deterministic: time, messages and
 * storage results come in as inputs; what to persist, send and tell comes out as effects, in the
 * order the host must execute them (an epoch is persisted before anything that depends on it).
 */
export class PairEngine {
  role: PeerRole = 'candidate';
  epoch: number;
  server: string | null = null;
  seq: number;
  rttMs: number | null = null;
  linkUp = false;

  private nowMs: number;
  private readonly bootAtMs: number;
  private processor: ProjectProcessor | null = null;
  private readonly alarms = new Map<string, AlarmStatus>();
  private readonly lastArchived = new Map<string, Sample>();
  private readonly processedThrough = new Map<string, number>();
  private readonly buffer: SampleBuffer;
  private peer: PeerView = { heardAtMs: null, bufferedFromMs: null, role: null, server: null, seq: 0, lastSentAtMs: null, lastReceivedAtMs: 0 };
  private witnessAliveAtMs: number | null = null;
  /** When a Server was last heard: a live peer that does not serve is no better than a dead one. */
  private serverHeardAtMs: number;
  /** After handing the role over: the seq the preferred node takes over at, until it serves. */
  private handingOverSeq: number | null = null;
  private lastHeartbeatMs = -Infinity;
  private drivers: DriverHealth = { connected: 0, total: 0, errorRate: 0 };
  private ackedSeq = 0;
  private sentSeq = 0;
  private live = false;
  private ackProgressAtMs = 0;
  private handoverAtSeq: number | null = null;
  private readonly history: EpochHistory;
  /**
   * Aligning with a Server: first find where the logs part (`divergedAfter` unknown: null), then hand
   * the ops after that point to the Server, then drop them here and follow the Server's log.
   */
  private alignment: { divergedAfter: number | null; handedBack: boolean } | null = null;
  private lastAlignMessageMs = -Infinity;
  private readonly pending = new Map<string, Pending>();
  /** When each op not yet acknowledged by the Standby was stored: the replication lag in ms. */
  private unacked: Array<{ seq: number; atMs: number }> = [];
  private out: Effect[] = [];

  constructor(
    private readonly project: Project,
    private readonly config: PairConfig,
    private readonly bootId: string,
    stored: StoredState,
    nowMs: number,
  ) {
    this.epoch = stored.epoch;
    this.seq = stored.seq;
    this.history = new EpochHistory(stored.epochStarts);
    this.nowMs = nowMs;
    this.bootAtMs = nowMs;
    this.serverHeardAtMs = nowMs;
    for (const status of stored.alarms) this.alarms.set(status.alarmId, status);
    for (const sample of stored.lastArchived) this.lastArchived.set(sample.tag, sample);
    for (const [driver, t] of stored.processedThrough) this.processedThrough.set(driver, t);
    this.buffer = new SampleBuffer(Math.max(2 * config.failureTimeoutMs, 3_000), BUFFER_SAMPLES_MAX);
  }

  /** Ops the store replayed are the Server's facts too: the status views they update. */
  get isServer(): boolean {
    return this.role === 'server';
  }

  get peerAlive(): boolean {
    return this.peer.heardAtMs !== null && this.nowMs - this.peer.heardAtMs < this.config.failureTimeoutMs;
  }

  /** True while this node serves without a Standby that has everything it confirmed. */
  get degraded(): boolean {
    return this.role === 'server' && this.config.peer !== null && !this.standbyInSync();
  }

  get replicationLagOps(): number {
    return this.role === 'server' ? this.seq - this.ackedSeq : Math.max(0, this.peer.seq - this.seq);
  }

  get peerRole(): PeerRole | null {
    return this.peer.role;
  }

  get peerSeq(): number {
    return this.peer.seq;
  }

  get replicationLagMs(): number {
    const oldest = this.unacked[0];
    return this.role === 'server' && oldest ? this.nowMs - oldest.atMs : 0;
  }

  get lastHeardMsAgo(): number | null {
    return this.peer.heardAtMs === null ? null : this.nowMs - this.peer.heardAtMs;
  }

  /** 0..1 while aligning with the Server (handing back counts as the start), 1 otherwise. */
  get alignmentProgress(): number {
    if (this.role !== 'aligning' && this.role !== 'candidate') return 1;
    if (this.alignment || this.peer.seq === 0) return 0;
    return Math.min(1, this.seq / this.peer.seq);
  }

  alarmStatuses(): AlarmStatus[] {
    return this.processor ? this.processor.alarmStatuses() : [...this.alarms.values()];
  }

  latestValues(): ReadonlyMap<string, Sample> {
    return this.processor ? this.processor.latestValues() : this.lastArchived;
  }

  step(input: EngineInput): Effect[] {
    this.out = [];
    if ('nowMs' in input) this.nowMs = Math.max(this.nowMs, input.nowMs);
    switch (input.kind) {
      case 'tick':
        this.onTick();
        break;
      case 'samples':
        this.onSamples(input.driver, input.samples);
        break;
      case 'persisted':
        this.onPersisted(input.ops);
        break;
      case 'peer':
        this.onPeer(input.envelope);
        break;
      case 'link':
        this.onLink(input.up);
        break;
      case 'witness':
        // About the peer serving in our epoch or a newer one: that holds a candidate back as much as a Standby.
        if (input.server === this.config.peer && input.epoch >= this.epoch) {
          this.witnessAliveAtMs = Math.max(this.witnessAliveAtMs ?? -Infinity, this.nowMs - input.silentForMs);
        }
        break;
      case 'command':
        this.onCommand(input.request, input.logged);
        break;
      case 'driverHealth':
        this.drivers = input.health;
        break;
      case 'driverState':
        if (this.processor) this.append([this.processor.systemEvent(this.nowMs, input.text)]);
        break;
      case 'stop':
        if (this.processor) this.append([this.processor.systemEvent(this.nowMs, `Tandem stopped on node ${this.config.self}: ${input.reason}`)]);
        break;
    }
    return this.out;
  }

  private onTick(): void {
    if (this.nowMs - this.lastHeartbeatMs >= this.config.heartbeatMs) this.sendHeartbeat();
    switch (this.role) {
      case 'server': {
        const due = this.processor!.tick(this.nowMs);
        this.append(due);
        if (this.ackedSeq < this.sentSeq && this.nowMs - this.ackProgressAtMs > 2 * this.config.heartbeatMs) this.shipFrom(this.ackedSeq);
        if (!this.peerAlive) this.confirmPending();
        // What this tick logged is not at the Standby yet: hand over on a later tick, at the log end.
        if (due.length === 0) this.maybeHandBack();
        break;
      }
      case 'candidate':
        this.candidateTick();
        break;
      case 'standby':
      case 'aligning':
        if (this.alignment && this.nowMs - this.lastAlignMessageMs >= this.config.heartbeatMs) this.continueAlignment();
        // The preferred node restarted before taking over: it refuses the handover, we serve on.
        if (this.peer.role === 'candidate') this.handingOverSeq = null;
        if (this.handingOverSeq !== null && this.peerAlive) this.send({ type: 'handover', seq: this.handingOverSeq });
        this.promoteIfNoServer();
        break;
    }
  }

  private promoteIfNoServer(): void {
    const silentMs = this.nowMs - this.serverHeardAtMs;
    // A peer that is alive but not serving gets one more timeout to take the role first if it is preferred.
    const peerMayServe = this.peerAlive && this.peer.role !== 'candidate';
    const graceMs = peerMayServe && this.config.self !== this.config.preferred ? this.config.failureTimeoutMs : 0;
    if (silentMs < this.config.failureTimeoutMs + graceMs || this.witnessSeesServer()) return;
    this.promote(this.peerAlive ? `${this.config.peer} is alive but has not served for ${silentMs} ms` : `${this.config.peer} silent for ${this.silenceMs()} ms`);
  }

  private candidateTick(): void {
    if (this.config.peer === null) {
      this.promote('standalone');
      return;
    }
    const sinceBootMs = this.nowMs - this.bootAtMs;
    if (this.peerAlive && this.peer.role !== null) {
      // A Standby that is alive holds the newest data (its log and its buffer): it takes over, not us.
      if (this.peer.role !== 'candidate') return;
      // Both starting: the node that has read the plant longer serves first (it can fill more of the
      // gap); with equal buffers, the preferred one. The other follows, failback follows the rules.
      const ours = this.buffer.oldestMs ?? Infinity;
      const theirs = this.peer.bufferedFromMs ?? Infinity;
      const first = ours === theirs ? this.config.self === this.config.preferred : ours < theirs;
      if (first) this.promote(`starting together with ${this.config.peer}; this node has read the plant longer or is preferred`);
      else if (sinceBootMs >= 2 * this.config.failureTimeoutMs) this.promote(`${this.config.peer} is not serving`);
      return;
    }
    if (sinceBootMs >= candidateAloneMs(this.config) && !this.witnessSeesServer()) {
      this.promote(`no answer from ${this.config.peer} since start`);
    }
  }

  private onSamples(driver: string, samples: Sample[]): void {
    if (this.processor) {
      this.append(this.processor.ingest(driver, samples));
      this.out.push({ kind: 'values', samples });
    } else {
      this.buffer.add(driver, samples);
    }
  }

  private onPersisted(ops: LoggedOp[]): void {
    const last = ops.at(-1);
    if (!last) return;
    this.seq = Math.max(this.seq, last.seq);
    for (const op of ops) {
      this.history.logged(op.epoch, op.seq);
      this.mirror(op);
    }
    if (this.role === 'server') {
      this.out.push({ kind: 'publish', ops });
      for (const op of ops) {
        if (op.kind === 'command') {
          const waiting = this.pending.get(op.requestId);
          if (waiting) waiting.seq = op.seq;
        }
      }
      if (this.config.peer !== null) {
        this.unacked.push({ seq: last.seq, atMs: this.nowMs });
        if (this.unacked.length > LAG_OPS_MAX) this.unacked = this.unacked.slice(-LAG_OPS_MAX);
      }
      this.replicateLive(ops);
      if (!this.standbyInSync()) this.confirmPending();
      return;
    }
    this.send({ type: 'ack', seq: this.seq });
    if (this.role === 'aligning' && this.seq >= this.peer.seq) this.setRole('standby', this.server, 'aligned with the Server');
    if (this.handoverAtSeq !== null && this.seq >= this.handoverAtSeq) this.promote(`planned switchover from ${this.config.peer}`);
  }

  private onPeer(envelope: PeerEnvelope): void {
    if (envelope.from !== this.config.peer) return;
    this.peer.heardAtMs = this.nowMs;
    if (envelope.epoch < this.epoch) {
      // A stale sender learns the current epoch from our next heartbeat; its message is refused.
      this.sendHeartbeat();
      return;
    }
    if (envelope.epoch > this.epoch) this.adoptEpoch(envelope);
    const message = envelope.message;
    switch (message.type) {
      case 'heartbeat':
        this.onHeartbeat(message);
        break;
      case 'append':
        this.onAppend(message.prevSeq, message.ops);
        break;
      case 'ack':
        this.onAck(message.seq);
        break;
      case 'handover':
        // A node that just started has read too little of the plant to take over on request.
        if (this.role === 'standby' || this.role === 'aligning') {
          this.handoverAtSeq = message.seq;
          if (this.seq >= message.seq) this.promote(`planned switchover from ${this.config.peer}`);
        }
        break;
      case 'epochQuery':
        if (this.role === 'server') this.send({ type: 'epochEnd', ...this.history.endOf(message.epoch, this.seq) });
        break;
      case 'epochEnd':
        this.onEpochEnd(message.epoch, message.endSeq);
        break;
      case 'handback':
        this.onHandback(message.ops);
        break;
      case 'handbackAck':
        this.onHandbackAck(message.throughSeq);
        break;
    }
  }

  private adoptEpoch(envelope: PeerEnvelope): void {
    this.epoch = envelope.epoch;
    this.out.push({ kind: 'persistEpoch', epoch: envelope.epoch });
    const serving = envelope.message.type === 'heartbeat' ? envelope.message.role === 'server' : envelope.message.type === 'append';
    const server = serving ? envelope.from : null;
    if (this.role === 'server') this.stepDown(`${envelope.from} serves at the higher epoch ${envelope.epoch}`, server);
    else this.server = server;
  }

  private onHeartbeat(message: Extract<PeerMessage, { type: 'heartbeat' }>): void {
    if (message.echoSentAtMs !== null) this.rttMs = Math.max(0, this.nowMs - message.echoSentAtMs - message.echoHeldMs);
    this.peer = {
      ...this.peer,
      role: message.role,
      server: message.server,
      seq: message.seq,
      bufferedFromMs: message.bufferedFromMs,
      lastSentAtMs: message.sentAtMs,
      lastReceivedAtMs: this.nowMs,
    };
    if (message.role === 'server') {
      this.serverHeardAtMs = this.nowMs;
      this.handingOverSeq = null;
    }
    // Epochs are unique per node (see nextEpoch), so a Server never hears another Server of its own epoch.
    if (message.role !== 'server' || this.role === 'server') return;
    this.server = this.config.peer;
    if (this.role === 'candidate') this.follow();
    else if (this.alignment) return;
    else if (this.seq < message.seq) this.send({ type: 'ack', seq: this.seq });
  }

  private follow(): void {
    this.setRole('aligning', this.config.peer, `${this.config.peer} is the Server`);
    this.startAlignment();
  }

  /** Before following a Server, find out whether our log has ops the Server's does not. */
  private startAlignment(): void {
    this.alignment = { divergedAfter: null, handedBack: false };
    this.continueAlignment();
  }

  private continueAlignment(): void {
    const alignment = this.alignment;
    if (!alignment) return;
    this.lastAlignMessageMs = this.nowMs;
    if (alignment.divergedAfter === null) this.send({ type: 'epochQuery', epoch: this.history.lastEpoch });
    else this.out.push({ kind: 'handBack', epoch: this.epoch, seq: alignment.divergedAfter });
  }

  private onEpochEnd(epoch: number, serverEndSeq: number): void {
    const alignment = this.alignment;
    if (!alignment || alignment.divergedAfter !== null || this.role === 'server') return;
    if (epoch !== 0 && !this.history.has(epoch)) {
      // The Server's answer is an epoch we never had: ask again about our own epoch below it.
      this.send({ type: 'epochQuery', epoch: this.history.endOf(epoch, this.seq).epoch });
      return;
    }
    const ours = this.history.endOf(epoch, this.seq);
    const divergedAfter = epoch === 0 ? 0 : Math.min(serverEndSeq, ours.endSeq);
    if (divergedAfter >= this.seq) {
      this.alignment = null;
      this.send({ type: 'ack', seq: this.seq });
      return;
    }
    alignment.divergedAfter = divergedAfter;
    this.continueAlignment();
  }

  private onHandbackAck(throughSeq: number): void {
    const alignment = this.alignment;
    if (!alignment || alignment.divergedAfter === null || this.role === 'server') return;
    if (throughSeq < this.seq) {
      this.lastAlignMessageMs = this.nowMs;
      this.out.push({ kind: 'handBack', epoch: this.epoch, seq: throughSeq });
      return;
    }
    // The Server stored all of it: our divergent suffix gives way to the Server's log.
    const keepSeq = alignment.divergedAfter;
    this.alignment = null;
    this.out.push({ kind: 'truncateAfter', seq: keepSeq });
    this.history.truncateAfter(keepSeq);
    this.seq = keepSeq;
    this.send({ type: 'ack', seq: this.seq });
  }

  /**
   * Ops the returning node recorded alone are merged as facts. Alarm states are merged monotonically:
   * a state from the other node replaces ours only if it changed later, so nothing is undone.
   */
  private onHandback(ops: LoggedOp[]): void {
    const last = ops.at(-1);
    if (this.role !== 'server' || !this.processor || !last) return;
    const merged: Op[] = ops.map(({ epoch: _epoch, seq: _seq, ...op }) => {
      if (op.kind !== 'alarm') return op as Op;
      const current = this.processor!.alarmStatus(op.status.alarmId);
      if (current && current.since >= op.status.since) return { ...op, status: current };
      this.processor!.restoreAlarm(op.status);
      return op;
    });
    this.append(merged);
    this.send({ type: 'handbackAck', throughSeq: last.seq });
  }

  private onAppend(prevSeq: number, ops: LoggedOp[]): void {
    if (this.role === 'server') return;
    this.server = this.config.peer;
    this.serverHeardAtMs = this.nowMs;
    if (this.role === 'candidate') {
      this.follow();
      return;
    }
    if (this.alignment) return;
    const fresh = ops.filter((op) => op.seq > this.seq);
    const first = fresh[0];
    if (prevSeq > this.seq || (first && first.seq !== this.seq + 1)) {
      // A gap: say where we are, the Server ships from there.
      this.send({ type: 'ack', seq: this.seq });
      return;
    }
    if (fresh.length > 0) this.out.push({ kind: 'appendReplicated', ops: fresh });
  }

  private onAck(seq: number): void {
    if (this.role !== 'server') return;
    // The same ack twice while more is in flight means an append was lost on the way: resend from there.
    const stalled = seq <= this.ackedSeq && seq < this.sentSeq;
    if (seq > this.ackedSeq) this.ackProgressAtMs = this.nowMs;
    this.ackedSeq = seq;
    while (this.unacked.length > 0 && this.unacked[0]!.seq <= seq) this.unacked.shift();
    if (seq >= this.seq) {
      this.live = true;
      this.sentSeq = this.seq;
    } else if (!this.live || stalled || seq >= this.sentSeq) {
      this.shipFrom(seq);
    }
    this.confirmPending();
  }

  private shipFrom(seq: number): void {
    this.live = false;
    this.ackProgressAtMs = this.nowMs;
    this.sentSeq = Math.min(this.seq, seq + APPEND_OPS_MAX);
    this.out.push({ kind: 'shipFrom', epoch: this.epoch, seq });
  }

  private onLink(up: boolean): void {
    this.linkUp = up;
    if (!up) {
      this.live = false;
      return;
    }
    this.sendHeartbeat();
    // While aligning, our log end may hold ops the Server does not have: it is no acknowledgement.
    if (this.role !== 'server' && this.role !== 'candidate' && !this.alignment) this.send({ type: 'ack', seq: this.seq });
  }

  private onCommand(request: CommandRequest, logged: boolean): void {
    const { requestId } = request;
    if (this.role !== 'server' || !this.processor) {
      const where = this.server ? ` The Server is ${this.server}.` : '';
      this.reply(requestId, { ok: false, code: 'notServer', message: `${this.config.self} is not serving this project now (it is ${this.role}).${where}`, server: this.server });
      return;
    }
    if (logged) {
      if (this.pending.has(requestId)) return;
      const ids = request.command.kind === 'ack' ? request.command.alarmIds : [request.command.alarmId];
      const alarms = ids.map((id) => this.processor!.alarmStatus(id)).filter((a): a is AlarmStatus => a !== undefined);
      this.reply(requestId, { ok: true, applied: false, alarms, degraded: this.degraded });
      return;
    }
    this.append(this.processor.tick(this.nowMs));
    const outcome = this.processor.command({ ...request, t: this.nowMs });
    if (!outcome.ok) {
      this.reply(requestId, { ok: false, code: outcome.code, message: outcome.message, server: this.config.self });
      return;
    }
    this.pending.set(requestId, { seq: null, alarms: outcome.alarms });
    this.append(outcome.ops);
  }

  /**
   * The next epoch this node may serve in: higher than any it knows, and of its own parity in the
   * pair, so two nodes that promote while cut off never share an epoch.
   */
  private nextEpoch(): number {
    if (this.config.peer === null) return this.epoch + 1;
    const parity = this.config.self < this.config.peer ? 0 : 1;
    return this.epoch + 1 + ((this.epoch + 1 + parity) % 2);
  }

  private promote(reason: string): void {
    this.alignment = null;
    this.handingOverSeq = null;
    this.epoch = this.nextEpoch();
    this.out.push({ kind: 'persistEpoch', epoch: this.epoch });
    this.handoverAtSeq = null;
    this.live = false;
    this.ackedSeq = 0;
    this.sentSeq = 0;
    this.unacked = [];
    this.processor = new ProjectProcessor({
      project: this.project,
      node: this.config.self,
      bootId: `${this.bootId}.${this.epoch}`,
      alarms: [...this.alarms.values()],
      lastArchived: [...this.lastArchived.values()],
      nowMs: this.nowMs,
    });
    this.setRole('server', this.config.self, reason);
    const text =
      this.config.peer === null
        ? `Tandem started on node ${this.config.self} (standalone, epoch ${this.epoch})`
        : `${this.config.self} serves in epoch ${this.epoch}: ${reason}`;
    const ops: Op[] = [this.processor.systemEvent(this.nowMs, text)];
    // The detection gap: what our own drivers read after the last batch the old Server processed.
    for (const batch of this.buffer.after(this.processedThrough)) ops.push(...this.processor.ingest(batch.driver, batch.samples));
    this.buffer.clear();
    this.append(ops);
    this.sendHeartbeat();
  }

  private stepDown(reason: string, server: string | null): void {
    this.processor = null;
    this.live = false;
    for (const requestId of this.pending.keys()) {
      this.reply(requestId, { ok: false, code: 'notServer', message: `${this.config.self} stopped serving before the Standby confirmed this; send it again to the new Server.`, server });
    }
    this.pending.clear();
    this.setRole('aligning', server, reason);
    this.startAlignment();
  }

  /** With automatic failback, a non-preferred Server hands the role back once the preferred node has everything. */
  private maybeHandBack(): void {
    const { self, preferred, failback } = this.config;
    if (failback !== 'automatic' || self === preferred || !this.peerAlive) return;
    if (this.peer.role !== 'standby' || this.ackedSeq < this.seq || this.pending.size > 0) return;
    this.send({ type: 'handover', seq: this.seq });
    this.handingOverSeq = this.seq;
    this.serverHeardAtMs = this.nowMs;
    this.processor = null;
    this.setRole('standby', this.config.peer, `handing the Server role back to ${preferred}`);
  }

  private replicateLive(ops: LoggedOp[]): void {
    if (!this.live || !this.linkUp) return;
    const first = ops[0]!;
    if (first.seq !== this.sentSeq + 1) {
      this.live = false;
      return;
    }
    for (let i = 0; i < ops.length; i += APPEND_OPS_MAX) {
      const chunk = ops.slice(i, i + APPEND_OPS_MAX);
      this.send({ type: 'append', prevSeq: chunk[0]!.seq - 1, ops: chunk });
    }
    this.sentSeq = ops.at(-1)!.seq;
    if (this.sentSeq - this.ackedSeq > LAG_OPS_MAX) this.live = false;
  }

  private standbyInSync(): boolean {
    return this.peerAlive && this.linkUp && (this.peer.role === 'standby' || this.peer.role === 'aligning');
  }

  /** Confirms commands the Standby has persisted, or all of them while there is no Standby to wait for. */
  private confirmPending(): void {
    const waitForStandby = this.standbyInSync();
    for (const [requestId, waiting] of this.pending) {
      if (waiting.seq === null) continue;
      if (waitForStandby && waiting.seq > this.ackedSeq) continue;
      this.pending.delete(requestId);
      this.reply(requestId, { ok: true, applied: true, alarms: waiting.alarms, degraded: this.degraded });
    }
  }

  private mirror(op: LoggedOp): void {
    if (op.kind === 'alarm') {
      this.alarms.set(op.status.alarmId, op.status);
    } else if (op.kind === 'samples') {
      this.processedThrough.set(op.driver, Math.max(this.processedThrough.get(op.driver) ?? -Infinity, op.through));
      for (const sample of op.samples) {
        const known = this.lastArchived.get(sample.tag);
        if (!known || known.t < sample.t) this.lastArchived.set(sample.tag, sample);
      }
    }
  }

  private witnessSeesServer(): boolean {
    return this.witnessAliveAtMs !== null && this.nowMs - this.witnessAliveAtMs < this.config.failureTimeoutMs;
  }

  private silenceMs(): number {
    return this.peer.heardAtMs === null ? this.nowMs - this.bootAtMs : this.nowMs - this.peer.heardAtMs;
  }

  private setRole(role: PeerRole, server: string | null, reason: string): void {
    if (role === this.role && server === this.server) return;
    this.role = role;
    this.server = server;
    this.out.push({ kind: 'role', role, epoch: this.epoch, server, reason });
  }

  private append(ops: Op[]): void {
    if (ops.length > 0) this.out.push({ kind: 'append', ops, epoch: this.epoch });
  }

  private send(message: PeerMessage): void {
    if (this.config.peer !== null) this.out.push({ kind: 'send', epoch: this.epoch, message });
  }

  private sendHeartbeat(): void {
    this.lastHeartbeatMs = this.nowMs;
    const heldMs = this.peer.lastSentAtMs === null ? 0 : this.nowMs - this.peer.lastReceivedAtMs;
    this.send({
      type: 'heartbeat',
      role: this.role,
      server: this.server,
      seq: this.seq,
      sentAtMs: this.nowMs,
      echoSentAtMs: this.peer.lastSentAtMs,
      echoHeldMs: heldMs,
      bufferedFromMs: this.buffer.oldestMs,
      drivers: this.drivers,
    });
  }

  private reply(requestId: string, reply: CommandReply): void {
    this.out.push({ kind: 'reply', requestId, reply });
  }
}
