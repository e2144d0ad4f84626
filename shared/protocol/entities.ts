import { z } from 'zod';

/** Quality of a sample, as a driver reports it. Only `good` samples drive alarms. */
export const Quality = z.enum(['good', 'bad', 'stale', 'commError']);
export type Quality = z.infer<typeof Quality>;

/** One value of one tag at one instant. `t` is Unix time in ms; booleans travel as 0 / 1. */
export const Sample = z.object({
  tag: z.string().min(1).max(200),
  t: z.number().int().nonnegative(),
  v: z.number(),
  q: Quality,
});
export type Sample = z.infer<typeof Sample>;

/** A point in a project's replicated log. Positions only grow: compare epoch first, then seq. */
export const Position = z.object({
  epoch: z.number().int().nonnegative(),
  seq: z.number().int().nonnegative(),
});
export type Position = z.infer<typeof Position>;

/** ISA-18.2 alarm states (the "alarm state transition diagram"), shelving and suppression included. */
export const AlarmState = z.enum([
  'normal',
  'unackActive',
  'ackActive',
  'unackRtn',
  'shelved',
  'suppressed',
]);
export type AlarmState = z.infer<typeof AlarmState>;

export const AlarmPriority = z.enum(['urgent', 'high', 'medium', 'low']);
export type AlarmPriority = z.infer<typeof AlarmPriority>;

/** The live state of one alarm, as the alarm list shows it. */
export const AlarmStatus = z.object({
  alarmId: z.string(),
  tag: z.string(),
  text: z.string(),
  priority: AlarmPriority,
  alarmClass: z.string(),
  state: AlarmState,
  /** Whether the process condition is active right now (independent of acknowledgement). */
  conditionActive: z.boolean(),
  /** Time of the last state change, Unix ms. */
  since: z.number(),
  /** Time the alarm last became active, Unix ms (null if it never was). */
  activeSince: z.number().nullable(),
  value: z.number().nullable(),
  ackUser: z.string().nullable(),
  ackComment: z.string().nullable(),
  shelvedUntil: z.number().nullable(),
});
export type AlarmStatus = z.infer<typeof AlarmStatus>;

export const CelKind = z.enum(['alarm', 'operator', 'system']);
export type CelKind = z.infer<typeof CelKind>;

/** One entry of the chronological event list. Entries are immutable facts with unique ids. */
export const CelEntry = z.object({
  id: z.string(),
  /** Position in the project's log: CEL pages resume from it. */
  seq: z.number().int(),
  t: z.number(),
  node: z.string(),
  kind: CelKind,
  user: z.string().nullable(),
  text: z.string(),
  alarmId: z.string().nullable(),
  tag: z.string().nullable(),
  /** For alarm entries: the state the alarm entered. */
  state: AlarmState.nullable(),
});
export type CelEntry = z.infer<typeof CelEntry>;

export const TagType = z.enum(['number', 'boolean']);
export type TagType = z.infer<typeof TagType>;

/** A tag as clients see it: its definition plus its latest value. */
export const TagInfo = z.object({
  id: z.string(),
  description: z.string(),
  type: TagType,
  unit: z.string(),
  driver: z.string(),
  archived: z.boolean(),
  value: z.number().nullable(),
  t: z.number().nullable(),
  q: Quality.nullable(),
  /** Why the tag does not read good, in the driver's words (null while it reads fine). */
  error: z.string().nullable(),
  writable: z.boolean(),
});
export type TagInfo = z.infer<typeof TagInfo>;

export const DriverState = z.enum(['connecting', 'connected', 'disconnected', 'error']);
export type DriverState = z.infer<typeof DriverState>;

/** What a driver reports of itself. */
export const DriverCounters = z.object({
  id: z.string(),
  type: z.string(),
  state: DriverState,
  tags: z.number().int(),
  /** Errors since the driver started (connection failures, refused reads and writes). */
  errors: z.number().int(),
  lastError: z.string().nullable(),
});
export type DriverCounters = z.infer<typeof DriverCounters>;

/** A driver as the API shows it: its counters and the quality of its tags' latest values on this node. */
export const DriverStatus = DriverCounters.extend({
  /** Errors in the last minute. */
  errorsPerMinute: z.number().int(),
  goodTags: z.number().int(),
  staleTags: z.number().int(),
  /** Tags whose latest value is bad or a communication error. */
  badTags: z.number().int(),
});
export type DriverStatus = z.infer<typeof DriverStatus>;

export const Role = z.enum(['standalone', 'server', 'standby', 'aligning']);
export type Role = z.infer<typeof Role>;
