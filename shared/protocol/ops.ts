import { z } from 'zod';
import { AlarmState, AlarmStatus, CelEntry, Quality, Sample } from './entities.js';
import { UserName, UserRecord, UserRole } from '../domain/user-role.js';

/**
 * Operations of a project's replicated log. Each op has a unique id; applying it twice changes
 * nothing. Ids of facts that two nodes can observe independently (alarm transitions) are derived
 * from their content, so the same fact recorded on both nodes is stored once.
 */

/** What caused an alarm transition. */
export const TransitionCause = z.enum(['process', 'operator', 'shelveExpiry', 'design']);
export type TransitionCause = z.infer<typeof TransitionCause>;

export const AlarmTransition = z.object({
  alarmId: z.string(),
  t: z.number(),
  from: AlarmState,
  to: AlarmState,
  cause: TransitionCause,
  value: z.number().nullable(),
  user: z.string().nullable(),
  comment: z.string().nullable(),
});
export type AlarmTransition = z.infer<typeof AlarmTransition>;

/** One value to write to one tag, in engineering units (booleans 0 / 1). */
export const TagWrite = z.object({ tag: z.string().min(1).max(200), value: z.number() });
export type TagWrite = z.infer<typeof TagWrite>;

/** The most values one write command (a recipe download) carries. */
export const WRITES_PER_COMMAND_MAX = 1_000;

export const OperatorCommand = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('ack'), alarmIds: z.array(z.string()), comment: z.string() }),
  z.object({ kind: z.literal('shelve'), alarmId: z.string(), durationMs: z.number().int(), comment: z.string() }),
  z.object({ kind: z.literal('unshelve'), alarmId: z.string(), comment: z.string() }),
  /**
   * Values to write through the Server's drivers, in order. A recipe download names its recipe and
   * is logged with the values it resolved to, so a Server taking over mid-way writes the same values.
   */
  z.object({
    kind: z.literal('write'),
    writes: z.array(TagWrite).max(WRITES_PER_COMMAND_MAX),
    /** A request may leave `version` null for "the current one"; the logged command always names it. */
    recipe: z.object({ id: z.string(), version: z.number().int().nonnegative().nullable() }).nullable(),
    comment: z.string(),
  }),
  /**
   * A new version of a recipe's values. `values` null uploads them: the Server takes the live values
   * of the recipe's tags. Logged with the values it resolved to and the version it made.
   */
  z.object({
    kind: z.literal('recipe'),
    recipeId: z.string(),
    values: z.record(z.string(), z.number()).nullable(),
    /** The version the editor started from: saving over a newer one is refused (409). */
    baseVersion: z.number().int().nonnegative(),
    comment: z.string(),
  }),
  /** Switches the Server role to `to` (the Standby) in a planned handover; `to` becomes the preferred Server. */
  z.object({ kind: z.literal('switchover'), to: z.string(), comment: z.string() }),
  /** The node that should serve; with automatic failback the role moves to it once it has everything. */
  z.object({ kind: z.literal('preferred'), node: z.string(), comment: z.string() }),
  /** Frozen roles (maintenance): no planned switchover of any kind; a failed Server is still replaced. */
  z.object({ kind: z.literal('freeze'), frozen: z.boolean(), comment: z.string() }),
  /** A node out of service neither serves nor takes over; it keeps receiving the log. */
  z.object({ kind: z.literal('service'), node: z.string(), inService: z.boolean(), comment: z.string() }),
  /**
   * Creates a user or changes one (role, password, disabled). `passwordHash` null keeps the password;
   * the logged command always carries null: the hash is kept once, in the `user` op.
   */
  z.object({
    kind: z.literal('user'),
    name: UserName,
    role: UserRole,
    passwordHash: z.string().max(300).nullable(),
    disabled: z.boolean(),
    /** The version the administrator changed (0: creating); another current version refuses it (409). Absent: any. */
    baseVersion: z.number().int().nonnegative().optional(),
    comment: z.string(),
  }),
]);
export type OperatorCommand = z.infer<typeof OperatorCommand>;

/**
 * Why a node started serving: `failure` its peer fell silent, `notServing` its peer was alive but did
 * not serve, `planned` a handover (failback, manual switchover, out of service), `start` at start-up.
 */
export const ServeReason = z.enum(['failure', 'notServing', 'planned', 'start']);
export type ServeReason = z.infer<typeof ServeReason>;

/** A node started serving: the switchover history of the dashboard. */
export const RoleChange = z.object({
  node: z.string(),
  epoch: z.number().int().nonnegative(),
  reasonCode: ServeReason,
  reason: z.string(),
  /**
   * How long the project was without a Server the node could hear, in ms: for a failure, the peer's
   * silence; for a planned switchover, from the handover to serving. Null at start-up.
   */
  gapMs: z.number().nonnegative().nullable(),
});
export type RoleChange = z.infer<typeof RoleChange>;

/** How the pair's roles are steered: replicated, so both nodes follow the same settings. */
export const PairSettings = z.object({
  preferred: z.string(),
  frozen: z.boolean(),
  outOfService: z.array(z.string()),
  version: z.number().int().nonnegative(),
  t: z.number(),
  user: z.string().nullable(),
});
export type PairSettings = z.infer<typeof PairSettings>;

/** How one write of a write command ended. */
export const WriteOutcome = TagWrite.extend({ ok: z.boolean(), error: z.string().nullable() });
export type WriteOutcome = z.infer<typeof WriteOutcome>;

/** A recipe's current values, as its last logged version left them. */
export const RecipeVersion = z.object({
  recipeId: z.string(),
  version: z.number().int().nonnegative(),
  values: z.record(z.string(), z.number()),
  t: z.number(),
  user: z.string().nullable(),
});
export type RecipeVersion = z.infer<typeof RecipeVersion>;

/** A CEL entry before the log gives it a position. */
export const CelFact = CelEntry.omit({ seq: true });
export type CelFact = z.infer<typeof CelFact>;

const QUALITIES: ReadonlySet<unknown> = new Set(Quality.options);

/** The usual sample, checked by a plain loop: exactly the keys and values `Sample` accepts. */
function isPlainSample(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  let keys = 0;
  for (const _ in value) keys += 1;
  const { tag, t, v, q } = value as Record<string, unknown>;
  return (
    keys === 4 &&
    typeof tag === 'string' && tag.length >= 1 && tag.length <= 200 &&
    Number.isSafeInteger(t) && (t as number) >= 0 &&
    typeof v === 'number' && Number.isFinite(v) &&
    QUALITIES.has(q)
  );
}

/**
 * A batch's samples, up to 10,000s per op: a plain loop accepts the usual case, and the `Sample` schema
 * runs only on a batch that fails it, to strip unknown keys or to name what is wrong.
 */
const SampleBatch = z.unknown().transform((value, ctx): Sample[] => {
  if (Array.isArray(value) && value.every(isPlainSample)) return value as Sample[];
  const parsed = z.array(Sample).safeParse(value, { reportInput: true });
  if (parsed.success) return parsed.data;
  for (const issue of parsed.error.issues) {
    ctx.addIssue({ code: 'custom', message: issue.message, path: issue.path as PropertyKey[], input: (issue as { input?: unknown }).input });
  }
  return z.NEVER;
});

export const Op = z.discriminatedUnion('kind', [
  /**
   * One driver batch: the samples the archive keeps (after the on-change deadband), and `through`,
   * the newest sample time of the batch. Everything the driver read up to `through` has been
   * processed: a Standby that takes over replays its own buffer only after that point.
   */
  z.object({
    id: z.string(),
    kind: z.literal('samples'),
    t: z.number(),
    driver: z.string(),
    through: z.number(),
    samples: SampleBatch,
  }),
  /** An alarm transition, the alarm's resulting status and the CEL entry that records it. */
  z.object({
    id: z.string(),
    kind: z.literal('alarm'),
    t: z.number(),
    transition: AlarmTransition,
    status: AlarmStatus,
    cel: CelFact,
  }),
  /** A system or operator event that is not an alarm transition. */
  z.object({ id: z.string(), kind: z.literal('cel'), t: z.number(), cel: CelFact }),
  /** An operator command as received: remembered so a retried requestId is a no-op. */
  z.object({
    id: z.string(),
    kind: z.literal('command'),
    t: z.number(),
    requestId: z.string(),
    user: z.string(),
    command: OperatorCommand,
  }),
  /**
   * What became of a write command: the Server's drivers took the values or refused them, or the
   * command was abandoned (its Server failed and it is too old to write now). One per write command.
   */
  z.object({
    id: z.string(),
    kind: z.literal('writeResult'),
    t: z.number(),
    requestId: z.string(),
    outcomes: z.array(WriteOutcome),
    cel: CelFact,
  }),
  /** A node started serving (its first op in the epoch), with the CEL entry that says why. */
  z.object({ id: z.string(), kind: z.literal('roleChange'), t: z.number(), change: RoleChange, cel: CelFact }),
  /** New pair settings (a switchover, preferred Server, frozen roles, out of service) and the CEL entry. */
  z.object({ id: z.string(), kind: z.literal('pairSettings'), t: z.number(), settings: PairSettings, cel: CelFact }),
  /** A new version of a recipe (edited or uploaded) and the CEL entry that records it. */
  z.object({ id: z.string(), kind: z.literal('recipe'), t: z.number(), recipe: RecipeVersion, cel: CelFact }),
  /** A new version of a user (created, role or password changed, disabled) and the CEL entry that records it without the hash. */
  z.object({ id: z.string(), kind: z.literal('user'), t: z.number(), user: UserRecord, cel: CelFact }),
]);
export type Op = z.infer<typeof Op>;

export const LoggedOp = z.intersection(Op, z.object({ epoch: z.number().int(), seq: z.number().int() }));
export type LoggedOp = z.infer<typeof LoggedOp>;

/** The CEL entry an op records, if it records one (alarm transitions, events, write outcomes, recipe versions). */
export function celFactOf(op: Op): CelFact | null {
  return 'cel' in op ? op.cel : null;
}

export function commandOpId(requestId: string): string {
  return `cmd/${requestId}`;
}

export function alarmOpId(transition: AlarmTransition): string {
  return `alm/${transition.alarmId}/${transition.t}/${transition.to}`;
}

export function writeResultOpId(requestId: string): string {
  return `wr/${requestId}`;
}

export function userOpId(user: UserRecord): string {
  return `usr/${user.name}/${user.version}/${user.t}`;
}

export function recipeOpId(recipe: RecipeVersion): string {
  return `rcp/${recipe.recipeId}/${recipe.version}/${recipe.t}`;
}

export function pairSettingsOpId(settings: PairSettings): string {
  return `pair/${settings.version}/${settings.t}`;
}
