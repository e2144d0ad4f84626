import { z } from 'zod';
import { AlarmStatus, CelEntry, CelKind, DriverStatus, Quality, Role, TagInfo } from './entities.js';
import { RoleChange, WriteOutcome } from './ops.js';
import { UserName as AccountName, UserRole } from '../domain/user-role.js';
import { DriverHealth } from './peer.js';

/** Bodies larger than this are refused with 413 before they are parsed. */
export const REQUEST_BODY_BYTES_MAX = 64 * 1024;
/** The most entries one CEL page returns. */
export const CEL_PAGE_MAX = 1000;
/** The most raw samples one archive query returns; past it the answer says `truncated`. */
export const ARCHIVE_SAMPLES_MAX = 100_000;
/** The most buckets one bucketed archive query may ask for. */
export const ARCHIVE_BUCKETS_MAX = 10_000;

export const ProjectStatus = z.object({
  id: z.string(),
  name: z.string(),
  role: Role,
  epoch: z.number().int(),
  seq: z.number().int(),
  /** Node name of the project's Server (this node when standalone). */
  server: z.string(),
  /** Digest of the project's stored facts; equal on two nodes that hold the same data. */
  stateHash: z.string(),
  drivers: z.array(DriverStatus),
  alarmsActive: z.number().int(),
  alarmsUnacknowledged: z.number().int(),
  /** The other node of the pair; null when the project runs standalone. */
  peer: z
    .object({
      node: z.string(),
      link: z.enum(['up', 'down']),
      role: z.string().nullable(),
      heartbeatRttMs: z.number().nullable(),
      lastHeardMsAgo: z.number().nullable(),
      /** The peer's drivers as its heartbeats report them (null while it is not heard). */
      drivers: DriverHealth.nullable(),
      /**
       * While the link is down: why, as this node saw it dialling (e.g. the peer showed another
       * certificate than the one pinned at pairing); null when up or not known here.
       */
      problem: z.string().nullable(),
    })
    .nullable(),
  /** Ops (and age of the oldest, in ms) the Standby has not yet confirmed; on a Standby, ops behind the Server. */
  replication: z.object({ lagOps: z.number().int(), lagMs: z.number() }),
  /** 0..1 while this node aligns with the Server. */
  alignmentProgress: z.number(),
  /** Serving without a Standby that holds everything (or with it out of service): shown as "redundancy degraded" everywhere. */
  degraded: z.boolean(),
  /** How the pair's roles are steered: the preferred Server, frozen roles (maintenance), nodes out of service. */
  roles: z.object({ preferred: z.string(), frozen: z.boolean(), outOfService: z.array(z.string()) }),
  /**
   * The nodes that run this project and their URLs (null: this node's own, use the address the
   * client came in on). Stations keep a control connection to each and follow the Server.
   * `fingerprint`: SHA-256 of the node's TLS certificate (hex), as pinned at pairing, so a person
   * can compare it with what a browser shows for https://.
   */
  nodes: z.array(z.object({ node: z.string(), url: z.string().nullable(), fingerprint: z.string().nullable() })),
});
export type ProjectStatus = z.infer<typeof ProjectStatus>;

/** The node's resources: shown on the dashboard, and an input of rated redundancy later. */
export const ResourceHealth = z.object({
  /** CPU used by this Tandem process over the last second, in % of one core. */
  cpuPercent: z.number(),
  loadAverage1m: z.number(),
  /** 99th percentile of the event loop's delay over the last second: a busy node answers heartbeats this late. */
  eventLoopDelayP99Ms: z.number(),
  memoryRssMb: z.number(),
  systemMemoryFreePercent: z.number(),
  /** Free space where the project data lives; null if it cannot be read. */
  diskFreeMb: z.number().nullable(),
});
export type ResourceHealth = z.infer<typeof ResourceHealth>;

export const StatusResponse = z.object({
  node: z.string(),
  version: z.string(),
  startedAt: z.number(),
  resources: ResourceHealth,
  projects: z.array(ProjectStatus),
  /**
   * Controls only a node started by `tandem demo` offers (`tandem serve --demo-power-cut`): with
   * `powerCut`, `POST /api/demo/power-cut` ends this node's process as a power cut would. Null on
   * every other node.
   */
  demo: z.object({ powerCut: z.literal(true) }).nullable(),
});
export type StatusResponse = z.infer<typeof StatusResponse>;

/** The body of `POST /api/demo/power-cut`: nothing to say but that it is asked for. */
export const PowerCutBody = z.object({}).strict();
export type PowerCutBody = z.infer<typeof PowerCutBody>;

/** 202: the node ends its process right after this answer is sent. */
export const PowerCutResponse = z.object({ node: z.string() });
export type PowerCutResponse = z.infer<typeof PowerCutResponse>;

export const TagsResponse = z.object({ tags: z.array(TagInfo) });
export type TagsResponse = z.infer<typeof TagsResponse>;

export const AlarmsResponse = z.object({ alarms: z.array(AlarmStatus) });
export type AlarmsResponse = z.infer<typeof AlarmsResponse>;

const SeqParam = z.coerce.number().int().nonnegative();
const TimeParam = z.coerce.number().int().nonnegative();

/** `after` pages forward (oldest first, for resuming); otherwise newest first, `before` pages back. */
export const CelQuery = z
  .object({
    after: SeqParam.optional(),
    before: SeqParam.optional(),
    limit: z.coerce.number().int().min(1).max(CEL_PAGE_MAX).default(200),
    kind: CelKind.optional(),
    text: z.string().max(200).optional(),
    from: TimeParam.optional(),
    to: TimeParam.optional(),
  })
  .strict()
  .refine((q) => q.after === undefined || q.before === undefined, 'give either after or before, not both');
export type CelQuery = z.infer<typeof CelQuery>;

/** The switchover history: every time a node started serving, newest first. */
export const SwitchoversQuery = z.object({ limit: z.coerce.number().int().min(1).max(1_000).default(50) }).strict();
export const SwitchoversResponse = z.object({
  switchovers: z.array(RoleChange.extend({ t: z.number(), seq: z.number().int() })),
});
export type SwitchoversResponse = z.infer<typeof SwitchoversResponse>;

export const CelResponse = z.object({
  entries: z.array(CelEntry),
  /** Cursor for the next page in the same direction, or null at the end. */
  next: z.number().int().nullable(),
});
export type CelResponse = z.infer<typeof CelResponse>;

export const ArchiveQuery = z
  .object({
    tag: z.string().min(1).max(200),
    from: TimeParam,
    to: TimeParam,
    bucketMs: z.coerce.number().int().min(1).optional(),
  })
  .strict()
  .refine((q) => q.to >= q.from, 'to must not be before from')
  .refine(
    (q) => q.bucketMs === undefined || (q.to - q.from) / q.bucketMs <= ARCHIVE_BUCKETS_MAX,
    `bucketMs is too small for this range: at most ${ARCHIVE_BUCKETS_MAX} buckets`,
  );
export type ArchiveQuery = z.infer<typeof ArchiveQuery>;

export const ArchiveSample = z.object({ t: z.number(), v: z.number(), q: Quality });
export type ArchiveSample = z.infer<typeof ArchiveSample>;

export const ArchiveBucket = z.object({
  t: z.number(),
  min: z.number(),
  max: z.number(),
  avg: z.number(),
  count: z.number().int(),
});
export type ArchiveBucket = z.infer<typeof ArchiveBucket>;

export const ArchiveResponse = z.object({
  tag: z.string(),
  from: z.number(),
  to: z.number(),
  /** Raw samples (without bucketMs), oldest first. */
  samples: z.array(ArchiveSample),
  /** Per-bucket min/max/avg (with bucketMs), oldest first; empty buckets are left out. */
  buckets: z.array(ArchiveBucket).optional(),
  truncated: z.boolean(),
});
export type ArchiveResponse = z.infer<typeof ArchiveResponse>;

const RequestId = z.string().min(8).max(100).regex(/^[A-Za-z0-9_-]+$/, 'use letters, digits, "_" and "-"');
/**
 * The acting user comes from the bearer token. A body may still name it (older clients): it must
 * then be the signed-in user, or the command is refused (403).
 */
const UserName = z.string().min(1).max(60).optional();
const Comment = z.string().max(500).default('');

export const AckBody = z.object({ requestId: RequestId, user: UserName, comment: Comment }).strict();
export type AckBody = z.infer<typeof AckBody>;

export const AckManyBody = z
  .object({ requestId: RequestId, user: UserName, comment: Comment, alarmIds: z.array(z.string()).min(1).max(20_000) })
  .strict();
export type AckManyBody = z.infer<typeof AckManyBody>;

/** Shelving: at most 24 h, so nothing stays hidden past a shift or two by mistake. */
export const SHELVE_DURATION_MAX_MS = 24 * 3_600_000;
export const ShelveBody = z
  .object({
    requestId: RequestId,
    user: UserName,
    comment: Comment,
    durationMs: z.number().int().min(1_000).max(SHELVE_DURATION_MAX_MS),
  })
  .strict();
export type ShelveBody = z.infer<typeof ShelveBody>;

export const UnshelveBody = z.object({ requestId: RequestId, user: UserName, comment: Comment }).strict();
export type UnshelveBody = z.infer<typeof UnshelveBody>;

/** Writing one tag: the value in engineering units (booleans 0 / 1). */
export const WriteBody = z.object({ requestId: RequestId, user: UserName, comment: Comment, value: z.number() }).strict();
export type WriteBody = z.infer<typeof WriteBody>;

/** Saving recipe values, edited from `baseVersion`; tags left out keep their values. */
export const RecipeSaveBody = z
  .object({ requestId: RequestId, user: UserName, comment: Comment, baseVersion: z.number().int().nonnegative(), values: z.record(z.string(), z.number()) })
  .strict();
export type RecipeSaveBody = z.infer<typeof RecipeSaveBody>;

/** Uploading: the recipe's values become the live values the Server reads (a new version after `baseVersion`). */
export const RecipeUploadBody = z.object({ requestId: RequestId, user: UserName, comment: Comment, baseVersion: z.number().int().nonnegative() }).strict();
export type RecipeUploadBody = z.infer<typeof RecipeUploadBody>;

/** Downloading a recipe to the plant: `version`, when given, must still be the current one (what the operator reviewed). */
export const RecipeDownloadBody = z
  .object({ requestId: RequestId, user: UserName, comment: Comment, version: z.number().int().nonnegative().optional() })
  .strict();
export type RecipeDownloadBody = z.infer<typeof RecipeDownloadBody>;

export const RecipeInfo = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  /** The tags the recipe sets, in the project file's order. */
  tags: z.array(z.string()),
  version: z.number().int(),
  values: z.record(z.string(), z.number()),
  /** When and by whom the current version was saved (null: the project file's values). */
  t: z.number().nullable(),
  user: z.string().nullable(),
});
export type RecipeInfo = z.infer<typeof RecipeInfo>;

export const RecipesResponse = z.object({ recipes: z.array(RecipeInfo) });
export type RecipesResponse = z.infer<typeof RecipesResponse>;

/** Switching the Server role over to the Standby, which becomes the preferred Server. */
export const SwitchoverBody = z.object({ requestId: RequestId, user: UserName, comment: Comment, to: z.string().min(1).max(63) }).strict();
export type SwitchoverBody = z.infer<typeof SwitchoverBody>;

export const PreferredBody = z.object({ requestId: RequestId, user: UserName, comment: Comment, node: z.string().min(1).max(63) }).strict();
export type PreferredBody = z.infer<typeof PreferredBody>;

export const FreezeBody = z.object({ requestId: RequestId, user: UserName, comment: Comment, frozen: z.boolean() }).strict();
export type FreezeBody = z.infer<typeof FreezeBody>;

export const ServiceBody = z.object({ requestId: RequestId, user: UserName, comment: Comment, inService: z.boolean() }).strict();
export type ServiceBody = z.infer<typeof ServiceBody>;

export const CommandResponse = z.object({
  /** False when this requestId had been applied before: the earlier outcome stands. */
  applied: z.boolean(),
  alarms: z.array(AlarmStatus),
  /** True when it was confirmed without a Standby to hold a copy (redundancy degraded). */
  degraded: z.boolean(),
  /** For writes and recipe downloads: how each value went (the command itself is done either way). */
  writes: z.array(WriteOutcome).nullable(),
});
export type CommandResponse = z.infer<typeof CommandResponse>;

/** Passwords: at least 8 characters; at most 200, so hashing stays cheap to ask for. Stations check it before sending. */
export const Password = z.string().min(8, 'a password needs at least 8 characters').max(200, 'a password may have at most 200 characters');

/** Body fields that hold a password: no answer or log line repeats what was sent in them (request-body.ts). */
export const SECRET_FIELDS: ReadonlySet<string> = new Set(['password', 'currentPassword']);

export const LoginBody = z
  .object({ user: AccountName, password: z.string().min(1).max(200), project: z.string().min(1).max(100).optional() })
  .strict();
export type LoginBody = z.infer<typeof LoginBody>;

export const LoginResponse = z.object({
  /** Send as `Authorization: Bearer <token>` (WebSocket: `/ws?access_token=<token>`). */
  token: z.string(),
  user: z.string(),
  role: UserRole,
  project: z.string(),
  expiresAt: z.number(),
});
export type LoginResponse = z.infer<typeof LoginResponse>;

export const MeResponse = LoginResponse.omit({ token: true });
export type MeResponse = z.infer<typeof MeResponse>;

export const UserInfo = z.object({ name: z.string(), role: UserRole, disabled: z.boolean(), version: z.number().int(), t: z.number(), by: z.string() });
export type UserInfo = z.infer<typeof UserInfo>;

export const UsersResponse = z.object({ users: z.array(UserInfo) });
export type UsersResponse = z.infer<typeof UsersResponse>;

/**
 * Creating a user (password required) or changing one (password left out: unchanged). `baseVersion`,
 * when given, is the version the change was made from (0: a new user): saving over another is refused (409).
 */
export const UserSaveBody = z
  .object({
    requestId: RequestId,
    name: AccountName,
    role: UserRole,
    password: Password.optional(),
    disabled: z.boolean().default(false),
    baseVersion: z.number().int().nonnegative().optional(),
    comment: Comment,
  })
  .strict();
export type UserSaveBody = z.infer<typeof UserSaveBody>;

/** A user changes their own password (with the current one), or an administrator sets anyone's. */
export const PasswordBody = z.object({ requestId: RequestId, password: Password, currentPassword: z.string().max(200).optional() }).strict();
export type PasswordBody = z.infer<typeof PasswordBody>;

export const ErrorResponse = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    /** With `notServer`: the node that serves the project now, if known. */
    server: z.string().nullable().optional(),
  }),
});
export type ErrorResponse = z.infer<typeof ErrorResponse>;
