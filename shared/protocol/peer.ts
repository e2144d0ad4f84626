import { z } from 'zod';
import { LoggedOp } from './ops.js';

/**
 * The peer link between the nodes of a cluster: one authenticated WebSocket per node pair, carrying
 * messages of every project the two share. Every message names its project and carries the sender's
 * epoch for that project; the engine refuses what is stale.
 */

/** Frames on the peer link may be large (log batches) but not unbounded. */
export const PEER_FRAME_BYTES_MAX = 16 * 1024 * 1024;
/** The most ops one append message carries. */
export const APPEND_OPS_MAX = 2_000;

export const PeerRole = z.enum(['candidate', 'server', 'standby', 'aligning']);
export type PeerRole = z.infer<typeof PeerRole>;

/** What a node tells its peer about its drivers: the input rated redundancy will weigh. */
export const DriverHealth = z.object({
  /** Drivers connected, of `total`. */
  connected: z.number().int(),
  total: z.number().int(),
  /** Driver errors per minute, over the last minute. */
  errorRate: z.number(),
  staleTags: z.number().int().default(0),
  badTags: z.number().int().default(0),
});
export type DriverHealth = z.infer<typeof DriverHealth>;

export const PeerMessage = z.discriminatedUnion('type', [
  /** I am alive: my role, whom I believe serves, my log end; echoes the peer's last heartbeat for the round trip. */
  z.object({
    type: z.literal('heartbeat'),
    role: PeerRole,
    server: z.string().nullable(),
    seq: z.number().int().nonnegative(),
    sentAtMs: z.number(),
    /** The peer's last heartbeat `sentAtMs` and how long it waited here, so the peer can measure the round trip. */
    echoSentAtMs: z.number().nullable(),
    echoHeldMs: z.number().nonnegative(),
    /** Oldest sample in the sender's autonomous buffer: of two starting nodes, the one that saw more serves. */
    bufferedFromMs: z.number().nullable(),
    drivers: DriverHealth,
  }),
  /** Server -> Standby: log entries following `prevSeq`. */
  z.object({ type: z.literal('append'), prevSeq: z.number().int().nonnegative(), ops: z.array(LoggedOp).max(APPEND_OPS_MAX) }),
  /** Standby -> Server: I have persisted everything up to `seq` (and want what follows). */
  z.object({ type: z.literal('ack'), seq: z.number().int().nonnegative() }),
  /** Follower -> Server: where does your log's part of `epoch` (or the largest epoch below it) end? */
  z.object({ type: z.literal('epochQuery'), epoch: z.number().int().nonnegative() }),
  /** Server -> follower: the answer; the logs agree up to the smaller of both ends of that epoch. */
  z.object({ type: z.literal('epochEnd'), epoch: z.number().int().nonnegative(), endSeq: z.number().int().nonnegative() }),
  /** Returning node -> Server: ops only I recorded (after the common prefix), to be merged. */
  z.object({ type: z.literal('handback'), fromSeq: z.number().int().nonnegative(), ops: z.array(LoggedOp).max(APPEND_OPS_MAX) }),
  /** Server -> returning node: the handed-back ops up to `throughSeq` are merged and stored. */
  z.object({ type: z.literal('handbackAck'), throughSeq: z.number().int().nonnegative() }),
  /** Planned switchover, Server -> Standby: I stopped at `seq`; take over when you have it. */
  z.object({ type: z.literal('handover'), seq: z.number().int().nonnegative() }),
]);
export type PeerMessage = z.infer<typeof PeerMessage>;

export const PeerEnvelope = z.object({
  project: z.string().min(1).max(64),
  from: z.string().min(1).max(63),
  epoch: z.number().int().nonnegative(),
  message: PeerMessage,
});
export type PeerEnvelope = z.infer<typeof PeerEnvelope>;
