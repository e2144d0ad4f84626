import { z } from 'zod';
import { ProjectStatus } from './api.js';
import { AlarmStatus, CelEntry, Position, Role, Sample, TagInfo } from './entities.js';

/** Frames larger than this are refused (the socket is closed with 1009). */
export const WS_FRAME_BYTES_MAX = 64 * 1024;
/** The server sends at least one frame this often; a client that hears nothing for 1 s is cut off. */
export const WS_HEARTBEAT_MS = 250;
/** Status frames go out this often (and at once on a role change). */
export const WS_STATUS_MS = 1000;
/** A client whose outgoing buffer grows past this is too slow and is disconnected. */
export const WS_SEND_BUFFER_BYTES_MAX = 8 * 1024 * 1024;
/** The most CEL entries a snapshot carries; older ones are paged over HTTP. */
export const SNAPSHOT_CEL_MAX = 500;

export const ClientMessage = z.discriminatedUnion('type', [
  z
    .object({
      type: z.literal('subscribe'),
      project: z.string().min(1).max(64),
      /** The last position this client saw: the snapshot then carries only CEL entries after it. */
      resume: Position.optional(),
    })
    .strict(),
  z.object({ type: z.literal('unsubscribe'), project: z.string().min(1).max(64) }).strict(),
  /**
   * A station's testimony, sent to every node it is connected to: when it last heard `server`
   * serve `project` in `epoch`. A Standby does not take over while a station still hears the Server.
   */
  z
    .object({
      type: z.literal('witness'),
      project: z.string().min(1).max(64),
      server: z.string().min(1).max(63),
      epoch: z.number().int().nonnegative(),
      silentForMs: z.number().nonnegative().max(86_400_000),
    })
    .strict(),
]);
export type ClientMessage = z.infer<typeof ClientMessage>;

export const ServerMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('welcome'), node: z.string(), version: z.string(), heartbeatMs: z.number() }),
  z.object({ type: z.literal('heartbeat'), t: z.number() }),
  z.object({
    type: z.literal('snapshot'),
    project: z.string(),
    position: Position,
    server: z.string(),
    role: Role,
    tags: z.array(TagInfo),
    alarms: z.array(AlarmStatus),
    /**
     * True when `cel` holds exactly the entries after the client's resume position, to be added to
     * the list it has; false when `cel` is a fresh list of the newest entries that replaces it.
     */
    resumed: z.boolean(),
    /** CEL entries, oldest first. */
    cel: z.array(CelEntry),
    /** True when older CEL entries exist before the first one carried (page them over HTTP). */
    celTruncated: z.boolean(),
  }),
  z.object({ type: z.literal('values'), project: z.string(), samples: z.array(Sample) }),
  z.object({ type: z.literal('alarms'), project: z.string(), position: Position, alarms: z.array(AlarmStatus) }),
  z.object({ type: z.literal('cel'), project: z.string(), position: Position, entries: z.array(CelEntry) }),
  z.object({ type: z.literal('error'), code: z.string(), message: z.string() }),
  /** The project's status, every second and at once when the role changes (with the reason). */
  z.object({ type: z.literal('status'), project: z.string(), status: ProjectStatus, reason: z.string().nullable() }),
]);
export type ServerMessage = z.infer<typeof ServerMessage>;
