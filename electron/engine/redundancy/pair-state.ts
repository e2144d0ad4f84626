import type { Project } from '../../../shared/project/load-project.js';
import type { DriverHealth, PeerMessage, PeerRole } from '../../../shared/protocol/peer.js';
import type { Op, PairSettings } from '../../../shared/protocol/ops.js';
import type { LoggedWrite, ProjectProcessor } from '../project/project-processor.js';
import type { CommandReply, Effect, PairConfig, StoredState } from './engine-types.js';
import { EpochHistory } from './epoch-history.js';
import type { LogAlignment } from './log-alignment.js';
import { LogMirror } from './log-mirror.js';
import { PendingCommands } from './pending-commands.js';
import { ReplicationWindow } from './replication-window.js';
import { SampleBuffer } from './sample-buffer.js';

/** Samples the autonomous buffer keeps at most, whatever its time window. */
const BUFFER_SAMPLES_MAX = 5_000_000;

/** What this node knows of its peer from what it last heard. */
export interface PeerView {
  heardAtMs: number | null;
  bufferedFromMs: number | null;
  role: PeerRole | null;
  server: string | null;
  seq: number;
  lastSentAtMs: number | null;
  lastReceivedAtMs: number;
  /** The peer's drivers, as its last heartbeat reported them. */
  drivers: DriverHealth | null;
}

/**
 * Everything one project's redundancy engine knows on one node, shared by the step functions of
 * every role (server-role.ts, standby-role.ts, candidate-role.ts), and the effects of the input
 * being handled, in the order the host must execute them.
 */
export class PairState {
  role: PeerRole = 'candidate';
  epoch: number;
  server: string | null = null;
  seq: number;
  rttMs: number | null = null;
  linkUp = false;

  nowMs: number;
  /** When this node started, for its start-up waits; moved forward past its own stalls like every silence. */
  startedAtMs: number;
  /** How long this node stood still since it last heard its peer: silence it did not count. */
  stalledMs = 0;
  /** The project's processing while this node serves; null otherwise. */
  processor: ProjectProcessor | null = null;
  readonly mirror: LogMirror;
  readonly buffer: SampleBuffer;
  peer: PeerView = { heardAtMs: null, bufferedFromMs: null, role: null, server: null, seq: 0, lastSentAtMs: null, lastReceivedAtMs: 0, drivers: null };
  witnessAliveAtMs: number | null = null;
  /** When a Server was last heard: a live peer that does not serve is no better than a dead one. */
  serverHeardAtMs: number;
  /** After handing the role over: the seq the preferred node takes over at, until it serves. */
  handingOverSeq: number | null = null;
  lastHeartbeatMs = -Infinity;
  drivers: DriverHealth = { connected: 0, total: 0, errorRate: 0, staleTags: 0, badTags: 0 };
  readonly replication = new ReplicationWindow();
  /** Asked to take over: the seq this node serves from once its log reaches it. */
  handoverAtSeq: number | null = null;
  /** When that handover was first heard: the switchover history reports the gap from it. */
  handoverHeardAtMs: number | null = null;
  readonly history: EpochHistory;
  /** While aligning with a Server before replicating from it (see log-alignment.ts). */
  alignment: LogAlignment | null = null;
  readonly pending = new PendingCommands();
  /** When an operator asked this Server to hand its role to the Standby (a manual switchover); null: no request. */
  switchoverRequestedAtMs: number | null = null;
  /** Write commands the drivers are executing on this Server, by requestId. */
  readonly writing = new Map<string, LoggedWrite>();
  out: Effect[] = [];

  constructor(
    readonly project: Project,
    readonly config: PairConfig,
    readonly bootId: string,
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
    return this.role === 'server' && this.config.peer !== null && (!this.standbyInSync || !this.inService(this.config.peer));
  }

  /** The pair's role settings: as last logged, or as the cluster document says until an operator changes one. */
  get settings(): PairSettings {
    return this.mirror.pairSettings ?? { preferred: this.config.preferred, frozen: false, outOfService: [], version: 0, t: 0, user: null };
  }

  /** The node that should serve (the cluster document's choice until an operator sets another). */
  get preferred(): string {
    return this.settings.preferred;
  }

  /** A node out of service neither serves nor takes over. */
  inService(node: string): boolean {
    return !this.settings.outOfService.includes(node);
  }

  get standbyInSync(): boolean {
    return this.peerAlive && this.linkUp && (this.peer.role === 'standby' || this.peer.role === 'aligning');
  }

  witnessSeesServer(): boolean {
    return this.witnessAliveAtMs !== null && this.nowMs - this.witnessAliveAtMs < this.config.failureTimeoutMs;
  }

  silenceMs(): number {
    return this.peer.heardAtMs === null ? this.nowMs - this.startedAtMs : this.nowMs - this.peer.heardAtMs;
  }

  /** For the reason of a promotion: silence this node did not count because it stood still itself. */
  stallNote(): string {
    return this.stalledMs > 0 ? ` (not counting ${this.stalledMs} ms this node stood still)` : '';
  }

  setRole(role: PeerRole, server: string | null, reason: string): void {
    if (role === this.role && server === this.server) return;
    this.role = role;
    this.server = server;
    this.out.push({ kind: 'role', role, epoch: this.epoch, server, reason });
  }

  append(ops: Op[]): void {
    if (ops.length > 0) this.out.push({ kind: 'append', ops, epoch: this.epoch });
  }

  send(message: PeerMessage): void {
    if (this.config.peer !== null) this.out.push({ kind: 'send', epoch: this.epoch, message });
  }

  sendHeartbeat(): void {
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

  reply(requestId: string, reply: CommandReply): void {
    this.out.push({ kind: 'reply', requestId, reply });
  }

  /** A node that does not serve answers a command with where the Server is, if it knows. */
  refuseCommand(requestId: string): void {
    const where = this.server ? ` The Server is ${this.server}.` : '';
    this.reply(requestId, { ok: false, code: 'notServer', message: `${this.config.self} is not serving this project now (it is ${this.role}).${where}`, server: this.server });
  }
}
