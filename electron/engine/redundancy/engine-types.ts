import type { LoggedWrite, OperatorRequest } from '../project/project-processor.js';
import type { AlarmStatus, Sample } from '../../../shared/protocol/entities.js';
import type { LoggedOp, Op, PairSettings, RecipeVersion, TagWrite, WriteOutcome } from '../../../shared/protocol/ops.js';
import type { UserRecord } from '../../../shared/domain/user-role.js';
import type { EpochStart } from './epoch-history.js';
import type { DriverHealth, PeerEnvelope, PeerMessage, PeerRole } from '../../../shared/protocol/peer.js';

export interface PairConfig {
  self: string;
  /** The other node of the pair; null runs the project standalone (Server at once, no Standby). */
  peer: string | null;
  /** The Server the cluster document names; it takes its role back when failback is automatic. */
  preferred: string;
  failback: 'automatic' | 'manual';
  heartbeatMs: number;
  failureTimeoutMs: number;
  /** How long a starting node that hears nobody waits before serving alone (default: candidateAloneMs). */
  startupAloneMs?: number;
}

/** What the engine needs of the store when a node starts. */
export interface StoredState {
  epoch: number;
  seq: number;
  /** The epochs in the log and where each starts. */
  epochStarts: readonly EpochStart[];
  alarms: readonly AlarmStatus[];
  lastArchived: readonly Sample[];
  /** Per driver, the newest sample time the log says was processed. */
  processedThrough: ReadonlyMap<string, number>;
  /** Recipe versions saved since the project file's. */
  recipes: readonly RecipeVersion[];
  /** The project's users, the newest version of each. */
  users: readonly UserRecord[];
  /** Write commands logged without an outcome: a node that starts serving writes them, or abandons the old ones. */
  unfinishedWrites: readonly UnfinishedWrite[];
  /** The pair's role settings as last logged (null: as the cluster document says). */
  pairSettings: PairSettings | null;
}

/** A logged write command whose outcome is not logged, and when it was logged. */
export type UnfinishedWrite = LoggedWrite & { t: number };

export type CommandRequest = Omit<OperatorRequest, 't'>;

export type CommandReply =
  | { ok: true; applied: boolean; alarms: AlarmStatus[]; degraded: boolean; writes: WriteOutcome[] | null }
  | { ok: false; code: 'notFound' | 'conflict' | 'invalid' | 'notServer'; message: string; server: string | null };

export type EngineInput =
  | { kind: 'tick'; nowMs: number }
  | { kind: 'samples'; nowMs: number; driver: string; samples: Sample[] }
  /** The host stored these ops (its own, or replicated ones); ops already stored are left out. */
  | { kind: 'persisted'; nowMs: number; ops: LoggedOp[] }
  | { kind: 'peer'; nowMs: number; envelope: PeerEnvelope }
  | { kind: 'link'; nowMs: number; up: boolean }
  /** A station connected to both nodes says when it last heard `server` (as Server of `epoch`). */
  | { kind: 'witness'; nowMs: number; server: string; epoch: number; silentForMs: number }
  /**
   * An operator command; `logged` says the store already holds this requestId, and for a write
   * `loggedOutcomes` what the log says became of it (null: no outcome logged yet).
   */
  | { kind: 'command'; nowMs: number; request: CommandRequest; logged: boolean; loggedOutcomes?: WriteOutcome[] | null }
  /** The drivers executed the values of a `write` effect. */
  | { kind: 'written'; nowMs: number; requestId: string; outcomes: WriteOutcome[] }
  | { kind: 'driverHealth'; health: DriverHealth }
  /** A driver connected, lost its connection or failed: the Server records it in the CEL. */
  | { kind: 'driverState'; nowMs: number; text: string }
  /** The node is shutting down: the Server records it in the CEL. */
  | { kind: 'stop'; nowMs: number; reason: string };

export type Effect =
  /** Persist this epoch durably before executing the effects after it. */
  | { kind: 'persistEpoch'; epoch: number }
  /** Store these new ops at the next positions, then report them with a `persisted` input. */
  | { kind: 'append'; ops: Op[]; epoch: number }
  /** Store these ops of the Server at their positions, then report them with a `persisted` input. */
  | { kind: 'appendReplicated'; ops: LoggedOp[] }
  /** Drop the log after `seq` (facts stay in the views); the Server's log follows instead. */
  | { kind: 'truncateAfter'; seq: number }
  /** Send the Server a handback of the stored ops after `seq` (as many as one message carries). */
  | { kind: 'handBack'; epoch: number; seq: number }
  | { kind: 'send'; epoch: number; message: PeerMessage }
  /** Send the peer an append of the stored ops after `seq` (as many as one message carries). */
  | { kind: 'shipFrom'; epoch: number; seq: number }
  /** Tell clients: ops now stored on the Server. */
  | { kind: 'publish'; ops: LoggedOp[] }
  /** Tell clients: live values read by the Server. */
  | { kind: 'values'; samples: Sample[] }
  | { kind: 'reply'; requestId: string; reply: CommandReply }
  /** Write these values through the drivers, in order (Server only), then report them with a `written` input. */
  | { kind: 'write'; requestId: string; writes: TagWrite[] }
  /** The node's role changed; clients are told and the change is shown everywhere. */
  | { kind: 'role'; role: PeerRole; epoch: number; server: string | null; reason: string };
