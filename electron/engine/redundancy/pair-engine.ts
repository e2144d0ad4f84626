import type { Project } from '../../../shared/project/load-project.js';
import type { AlarmStatus, Sample } from '../../../shared/protocol/entities.js';
import type { DriverHealth, PeerEnvelope, PeerMessage, PeerRole } from '../../../shared/protocol/peer.js';
import type { LoggedOp, PairSettings, RecipeVersion } from '../../../shared/protocol/ops.js';
import type { UserRecord } from '../../../shared/domain/user-role.js';
import { RecipeBook } from '../project/recipe-book.js';
import { stepCandidate } from './candidate-role.js';
import type { EngineInput, Effect, PairConfig, StoredState } from './engine-types.js';
import { PairState } from './pair-state.js';
import { adoptEpoch } from './role-changes.js';
import { stepServer } from './server-role.js';
import { advanceClock } from './stall-guard.js';
import { stepStandby } from './standby-role.js';

export { candidateAloneMs } from './candidate-role.js';
export { stallThresholdMs } from './stall-guard.js';

/** Which step function handles an input, by the node's role once what every role does is done. */
const STEP_BY_ROLE: Record<PeerRole, (s: PairState, input: EngineInput) => void> = {
  server: stepServer,
  standby: stepStandby,
  aligning: stepStandby,
  candidate: stepCandidate,
};

/**
 * One project's redundancy on one node: roles, epochs, heartbeats, failure detection, log
 * replication, command confirmation and the autonomous buffer. Deterministic: time, messages and
 * storage results come in as inputs; what to persist, send and tell comes out as effects, in the
 * order the host must execute them (an epoch is persisted before anything that depends on it).
 */
export class PairEngine {
  private readonly state: PairState;

  constructor(project: Project, config: PairConfig, bootId: string, stored: StoredState, nowMs: number) {
    this.state = new PairState(project, config, bootId, stored, nowMs);
  }

  get role(): PeerRole {
    return this.state.role;
  }

  get epoch(): number {
    return this.state.epoch;
  }

  get server(): string | null {
    return this.state.server;
  }

  get seq(): number {
    return this.state.seq;
  }

  get rttMs(): number | null {
    return this.state.rttMs;
  }

  get linkUp(): boolean {
    return this.state.linkUp;
  }

  get peerAlive(): boolean {
    return this.state.peerAlive;
  }

  /** How the pair's roles are steered (preferred Server, frozen, out of service). */
  get pairSettings(): PairSettings {
    return this.state.settings;
  }

  /** The peer's drivers, as its last heartbeat reported them. */
  get peerDrivers(): DriverHealth | null {
    return this.state.peer.drivers;
  }

  /** True while this node serves without a Standby that has everything it confirmed. */
  get degraded(): boolean {
    return this.state.degraded;
  }

  get replicationLagOps(): number {
    const s = this.state;
    return s.role === 'server' ? s.replication.lagOps(s.seq) : Math.max(0, s.peer.seq - s.seq);
  }

  get peerRole(): PeerRole | null {
    return this.state.peer.role;
  }

  get replicationLagMs(): number {
    const s = this.state;
    return s.role === 'server' ? s.replication.lagMs(s.nowMs) : 0;
  }

  get lastHeardMsAgo(): number | null {
    const s = this.state;
    return s.peer.heardAtMs === null ? null : s.nowMs - s.peer.heardAtMs;
  }

  /** 0..1 while aligning with the Server (handing back counts as the start), 1 otherwise. */
  get alignmentProgress(): number {
    const s = this.state;
    if (s.role !== 'aligning' && s.role !== 'candidate') return 1;
    if (s.alignment || s.peer.seq === 0) return 0;
    return Math.min(1, s.seq / s.peer.seq);
  }

  alarmStatuses(): AlarmStatus[] {
    const { processor, mirror } = this.state;
    return processor ? processor.alarmStatuses() : [...mirror.alarms.values()];
  }

  /** Every recipe's current version, as the log has it. */
  recipeVersions(): RecipeVersion[] {
    const { processor, mirror, project } = this.state;
    return processor ? processor.recipeVersions() : new RecipeBook(project.recipes, mirror.recipes.values()).all();
  }

  /** Every user's current version, as the log has it (a Standby that takes over knows them). */
  userRecords(): UserRecord[] {
    const { processor, mirror } = this.state;
    return processor ? processor.userRecords() : [...mirror.users.values()];
  }

  latestValues(): ReadonlyMap<string, Sample> {
    const { processor, mirror } = this.state;
    return processor ? processor.latestValues() : mirror.lastArchived;
  }

  step(input: EngineInput): Effect[] {
    const s = this.state;
    s.out = [];
    if ('nowMs' in input) advanceClock(s, input.nowMs);
    if (this.stepEveryRole(input)) STEP_BY_ROLE[s.role](s, input);
    return s.out;
  }

  /** What every role does with an input, before its role's step function; false when that is all. */
  private stepEveryRole(input: EngineInput): boolean {
    const s = this.state;
    switch (input.kind) {
      case 'tick':
        if (s.nowMs - s.lastHeartbeatMs >= s.config.heartbeatMs) s.sendHeartbeat();
        return true;
      case 'persisted':
        return this.stored(input.ops);
      case 'peer':
        return this.received(input.envelope);
      case 'link':
        s.linkUp = input.up;
        if (!input.up) {
          s.replication.pause();
          return false;
        }
        s.sendHeartbeat();
        return true;
      case 'witness':
        // About the peer serving in our epoch or a newer one: that holds a candidate back as much as a Standby.
        if (input.server === s.config.peer && input.epoch >= s.epoch) {
          s.witnessAliveAtMs = Math.max(s.witnessAliveAtMs ?? -Infinity, s.nowMs - input.silentForMs);
        }
        return false;
      case 'driverHealth':
        s.drivers = input.health;
        return false;
      default:
        return true;
    }
  }

  /** Every role keeps its log position, epoch history and views of what the host stored; false when nothing was. */
  private stored(ops: LoggedOp[]): boolean {
    const s = this.state;
    const last = ops.at(-1);
    if (!last) return false;
    s.seq = Math.max(s.seq, last.seq);
    for (const op of ops) {
      s.history.logged(op.epoch, op.seq);
      s.mirror.stored(op);
    }
    return true;
  }

  /** Hears the peer and fences by epoch; false when the message is refused. */
  private received(envelope: PeerEnvelope): boolean {
    const s = this.state;
    if (envelope.from !== s.config.peer) return false;
    s.peer.heardAtMs = s.nowMs;
    s.stalledMs = 0;
    if (envelope.epoch < s.epoch) {
      // A stale sender learns the current epoch from our next heartbeat; its message is refused.
      s.sendHeartbeat();
      return false;
    }
    if (envelope.epoch > s.epoch) adoptEpoch(s, envelope);
    if (envelope.message.type === 'heartbeat') this.heardHeartbeat(envelope.message);
    return true;
  }

  private heardHeartbeat(message: Extract<PeerMessage, { type: 'heartbeat' }>): void {
    const s = this.state;
    if (message.echoSentAtMs !== null) s.rttMs = Math.max(0, s.nowMs - message.echoSentAtMs - message.echoHeldMs);
    s.peer = {
      ...s.peer,
      role: message.role,
      server: message.server,
      seq: message.seq,
      bufferedFromMs: message.bufferedFromMs,
      lastSentAtMs: message.sentAtMs,
      lastReceivedAtMs: s.nowMs,
      drivers: message.drivers,
    };
    if (message.role === 'server') {
      s.serverHeardAtMs = s.nowMs;
      s.handingOverSeq = null;
    }
  }
}
