import type { Project } from '../../../shared/project/load-project.js';
import type { AlarmStatus, Sample } from '../../../shared/protocol/entities.js';
import type { DriverHealth, PeerEnvelope, PeerMessage, PeerRole } from '../../../shared/protocol/peer.js';
import type { LoggedOp, Op } from '../../../shared/protocol/ops.js';
import { ProjectProcessor } from '../project/project-processor.js';
import type { CommandReply, CommandRequest, EngineInput, Effect, PairConfig, StoredState } from './engine-types.js';
import { EpochHistory } from './epoch-history.js';
import { mergeHandback } from './handback-merge.js';
import { LogMirror } from './log-mirror.js';
import { PendingCommands } from './pending-commands.js';
import { LogAlignment, type AlignmentStep } from './log-alignment.js';
import { ReplicationWindow } from './replication-window.js';
import { SampleBuffer } from './sample-buffer.js';

/**
 * How long a starting node that hears nobody waits before it serves alone: longer than the failure
 * timeout and than the peer link takes to redial (at most 1 s) and authenticate, so two nodes started
 * a moment apart do not both begin by serving.
 */
export function candidateAloneMs(config: Pick<PairConfig, 'failureTimeoutMs' | 'startupAloneMs'>): number {
  return config.startupAloneMs ?? Math.max(2 * config.failureTimeoutMs, 2_000);
}

/**
 * The longest gap between two inputs that still counts as this node running. Past it, the node itself
 * stood still (its event loop blocked, by a long synchronous write say): what the peer, the Server or a
 * witness sent meanwhile waits unread, so that silence is not theirs (the host ticks every 50 ms at most).
 */
export function stallThresholdMs(config: Pick<PairConfig, 'heartbeatMs' | 'failureTimeoutMs'>): number {
  return Math.max(2 * config.heartbeatMs, config.failureTimeoutMs / 2);
}

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
  /** When this node started, for its start-up waits; moved forward past its own stalls like every silence. */
  private startedAtMs: number;
  /** How long this node stood still since it last heard its peer: silence it did not count. */
  private stalledMs = 0;
  private processor: ProjectProcessor | null = null;
  private readonly mirror: LogMirror;
  private readonly buffer: SampleBuffer;
  private peer: PeerView = { heardAtMs: null, bufferedFromMs: null, role: null, server: null, seq: 0, lastSentAtMs: null, lastReceivedAtMs: 0 };
  private witnessAliveAtMs: number | null = null;
  /** When a Server was last heard: a live peer that does not serve is no better than a dead one. */
  private serverHeardAtMs: number;
  /** After handing the role over: the seq the preferred node takes over at, until it serves. */
  private handingOverSeq: number | null = null;
  private lastHeartbeatMs = -Infinity;
  private drivers: DriverHealth = { connected: 0, total: 0, errorRate: 0 };
  private readonly replication = new ReplicationWindow();
  private handoverAtSeq: number | null = null;
  private readonly history: EpochHistory;
  /** While aligning with a Server before replicating from it (see log-alignment.ts). */
  private alignment: LogAlignment | null = null;
  private readonly pending = new PendingCommands();
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
    this.startedAtMs = nowMs;
    this.serverHeardAtMs = nowMs;
    this.mirror = new LogMirror(stored);
    this.buffer = new SampleBuffer(Math.max(2 * config.failureTimeoutMs, 3_000), BUFFER_SAMPLES_MAX);
  }

  get peerAlive(): boolean {
    return this.peer.heardAtMs !== null && this.nowMs - this.peer.heardAtMs < this.config.failureTimeoutMs;
  }

  /** True while this node serves without a Standby that has everything it confirmed. */
  get degraded(): boolean {
    return this.role === 'server' && this.config.peer !== null && !this.standbyInSync();
  }

  get replicationLagOps(): number {
    return this.role === 'server' ? this.replication.lagOps(this.seq) : Math.max(0, this.peer.seq - this.seq);
  }

  get peerRole(): PeerRole | null {
    return this.peer.role;
  }

  get replicationLagMs(): number {
    return this.role === 'server' ? this.replication.lagMs(this.nowMs) : 0;
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
    return this.processor ? this.processor.alarmStatuses() : [...this.mirror.alarms.values()];
  }

  latestValues(): ReadonlyMap<string, Sample> {
    return this.processor ? this.processor.latestValues() : this.mirror.lastArchived;
  }

  step(input: EngineInput): Effect[] {
    this.out = [];
    if ('nowMs' in input) this.advanceTo(input.nowMs);
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

  private advanceTo(nowMs: number): void {
    const gapMs = nowMs - this.nowMs;
    if (gapMs > stallThresholdMs(this.config)) this.discountStall(gapMs);
    this.nowMs = Math.max(this.nowMs, nowMs);
  }

  /**
   * This node stood still for `stallMs` (timers run before sockets are read, so this input comes before
   * the messages that waited): every time a silence is measured from moves forward by the stall, and a
   * peer that spoke just before it still gets its full failure timeout once this node runs again.
   */
  private discountStall(stallMs: number): void {
    if (this.peer.heardAtMs !== null) this.peer.heardAtMs += stallMs;
    if (this.witnessAliveAtMs !== null) this.witnessAliveAtMs += stallMs;
    this.serverHeardAtMs += stallMs;
    this.startedAtMs += stallMs;
    this.stalledMs += stallMs;
  }

  private onTick(): void {
    if (this.nowMs - this.lastHeartbeatMs >= this.config.heartbeatMs) this.sendHeartbeat();
    switch (this.role) {
      case 'server': {
        const due = this.processor!.tick(this.nowMs);
        this.append(due);
        this.shipFrom(this.replication.stalled(this.seq, this.nowMs, 2 * this.config.heartbeatMs));
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
        if (this.alignment && this.nowMs - this.alignment.lastMessageMs >= this.config.heartbeatMs) this.alignStep(this.alignment.next(this.nowMs));
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
    const why = this.peerAlive ? `${this.config.peer} is alive but has not served for ${silentMs} ms` : `${this.config.peer} silent for ${this.silenceMs()} ms`;
    this.promote(why + this.stallNote());
  }

  private candidateTick(): void {
    if (this.config.peer === null) {
      this.promote('standalone');
      return;
    }
    const sinceBootMs = this.nowMs - this.startedAtMs;
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
      this.promote(`no answer from ${this.config.peer} since start${this.stallNote()}`);
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
      this.mirror.stored(op);
    }
    if (this.role === 'server') {
      this.out.push({ kind: 'publish', ops });
      for (const op of ops) this.pending.stored(op);
      if (this.config.peer !== null) {
        for (const append of this.replication.stored(ops, this.nowMs, this.linkUp)) this.send({ type: 'append', ...append });
      }
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
    this.stalledMs = 0;
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
    this.alignment = new LogAlignment(this.history, this.nowMs);
    this.alignStep(this.alignment.next(this.nowMs));
  }

  private onEpochEnd(epoch: number, serverEndSeq: number): void {
    if (this.alignment && this.role !== 'server') this.alignStep(this.alignment.epochEnd(epoch, serverEndSeq, this.seq, this.nowMs));
  }

  private onHandbackAck(throughSeq: number): void {
    if (this.alignment && this.role !== 'server') this.alignStep(this.alignment.handbackStored(throughSeq, this.seq, this.nowMs));
  }

  private alignStep(step: AlignmentStep | null): void {
    switch (step?.kind) {
      case 'query':
        this.send({ type: 'epochQuery', epoch: step.epoch });
        return;
      case 'handBack':
        this.out.push({ kind: 'handBack', epoch: this.epoch, seq: step.fromSeq });
        return;
      case 'truncate':
        // The Server stored all of it: our divergent suffix gives way to the Server's log.
        this.out.push({ kind: 'truncateAfter', seq: step.keepSeq });
        this.seq = step.keepSeq;
        this.alignment = null;
        this.send({ type: 'ack', seq: this.seq });
        return;
      case 'aligned':
        this.alignment = null;
        this.send({ type: 'ack', seq: this.seq });
        return;
    }
  }

  private onHandback(ops: LoggedOp[]): void {
    const last = ops.at(-1);
    if (this.role !== 'server' || !this.processor || !last) return;
    this.append(mergeHandback(ops, this.processor));
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
    this.shipFrom(this.replication.acknowledged(seq, this.seq, this.nowMs));
    this.confirmPending();
  }

  private shipFrom(seq: number | null): void {
    if (seq !== null) this.out.push({ kind: 'shipFrom', epoch: this.epoch, seq });
  }

  private onLink(up: boolean): void {
    this.linkUp = up;
    if (!up) {
      this.replication.pause();
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
    this.pending.add(requestId, outcome.alarms);
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
    this.replication.reset();
    this.processor = new ProjectProcessor({
      project: this.project,
      node: this.config.self,
      bootId: `${this.bootId}.${this.epoch}`,
      ...this.mirror.processorState(),
      nowMs: this.nowMs,
    });
    this.setRole('server', this.config.self, reason);
    const text =
      this.config.peer === null
        ? `Tandem started on node ${this.config.self} (standalone, epoch ${this.epoch})`
        : `${this.config.self} serves in epoch ${this.epoch}: ${reason}`;
    const ops: Op[] = [this.processor.systemEvent(this.nowMs, text)];
    // The detection gap: what our own drivers read after the last batch the old Server processed.
    for (const batch of this.buffer.after(this.mirror.processedThrough)) ops.push(...this.processor.ingest(batch.driver, batch.samples));
    this.buffer.clear();
    this.append(ops);
    this.sendHeartbeat();
  }

  private stepDown(reason: string, server: string | null): void {
    this.processor = null;
    this.replication.pause();
    for (const requestId of this.pending.takeAll()) {
      this.reply(requestId, { ok: false, code: 'notServer', message: `${this.config.self} stopped serving before the Standby confirmed this; send it again to the new Server.`, server });
    }
    this.setRole('aligning', server, reason);
    this.startAlignment();
  }

  /** With automatic failback, a non-preferred Server hands the role back once the preferred node has everything. */
  private maybeHandBack(): void {
    const { self, preferred, failback } = this.config;
    if (failback !== 'automatic' || self === preferred || !this.peerAlive) return;
    if (this.peer.role !== 'standby' || this.replication.ackedSeq < this.seq || this.pending.size > 0) return;
    this.send({ type: 'handover', seq: this.seq });
    this.handingOverSeq = this.seq;
    this.serverHeardAtMs = this.nowMs;
    this.processor = null;
    this.setRole('standby', this.config.peer, `handing the Server role back to ${preferred}`);
  }

  private standbyInSync(): boolean {
    return this.peerAlive && this.linkUp && (this.peer.role === 'standby' || this.peer.role === 'aligning');
  }

  /** Confirms commands the Standby has persisted, or all of them while there is no Standby to wait for. */
  private confirmPending(): void {
    const standbySeq = this.standbyInSync() ? this.replication.ackedSeq : null;
    for (const { requestId, alarms } of this.pending.takeConfirmed(standbySeq)) {
      this.reply(requestId, { ok: true, applied: true, alarms, degraded: this.degraded });
    }
  }

  private witnessSeesServer(): boolean {
    return this.witnessAliveAtMs !== null && this.nowMs - this.witnessAliveAtMs < this.config.failureTimeoutMs;
  }

  private silenceMs(): number {
    return this.peer.heardAtMs === null ? this.nowMs - this.startedAtMs : this.nowMs - this.peer.heardAtMs;
  }

  /** For the reason of a promotion: silence this node did not count because it stood still itself. */
  private stallNote(): string {
    return this.stalledMs > 0 ? ` (not counting ${this.stalledMs} ms this node stood still)` : '';
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
