import { z } from 'zod';
import { AlarmPriority, TagType } from '../protocol/entities.js';

/** Names a user types in a project file: tags, drivers, alarms, recipes. */
const Name = z
  .string()
  .min(1)
  .max(120)
  .regex(/^[A-Za-z0-9_.-]+$/, 'use letters, digits, ".", "_" and "-" only');

export const ProjectId = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[a-z0-9][a-z0-9-]*$/, 'use lower-case letters, digits and "-" (it names files and URLs)');

export const SimulatorSettings = z
  .object({
    /** Grid every simulated tag is sampled on. 100 ms keeps Sim.Counter's slots exact. */
    periodMs: z.number().int().min(10).max(60_000).default(100),
    /** Extra generated tags `<driver>.Bulk.00001`... for load tests, sampled on the same grid. */
    bulkTags: z.number().int().min(0).max(100_000).default(0),
    /** Give every bulk tag a high-limit alarm (for alarm-list load tests). */
    bulkAlarms: z.boolean().default(false),
  })
  .strict();
export type SimulatorSettings = z.infer<typeof SimulatorSettings>;

const SimulatorDriverDef = z
  .object({
    id: Name,
    type: z.literal('simulator'),
    description: z.string().max(500).default(''),
    settings: SimulatorSettings.default(() => SimulatorSettings.parse({})),
  })
  .strict();
export type SimulatorDriverDef = z.infer<typeof SimulatorDriverDef>;

/** Order of the two bytes in a register, and of the registers in a 32-bit value: `big` sends the high one first. */
export const Endianness = z.enum(['big', 'little']);
export type Endianness = z.infer<typeof Endianness>;

export const PollGroup = z
  .object({
    id: Name,
    /** Every tag of the group is read once per period; a late poll is not repeated, it is skipped. */
    periodMs: z.number().int().min(10).max(3_600_000),
  })
  .strict();
export type PollGroup = z.infer<typeof PollGroup>;

export const ModbusSettings = z
  .object({
    host: z.string().min(1).max(253),
    port: z.number().int().min(1).max(65_535).default(502),
    unitId: z.number().int().min(0).max(255).default(1),
    /** A request without an answer after this long counts as a communication error. */
    timeoutMs: z.number().int().min(10).max(60_000).default(1_000),
    /** Waits between reconnection attempts double from the first to the last and stay there. */
    reconnectFirstMs: z.number().int().min(10).max(60_000).default(500),
    reconnectMaxMs: z.number().int().min(10).max(600_000).default(30_000),
    /** Defaults for tags that do not give their own `byteOrder` / `wordOrder`. */
    byteOrder: Endianness.default('big'),
    wordOrder: Endianness.default('big'),
    /** Tags name their group (`group=`); a tag without one belongs to the first. */
    pollGroups: z
      .array(PollGroup)
      .min(1)
      .max(64)
      .default(() => [{ id: 'default', periodMs: 1_000 }]),
  })
  .strict()
  .refine((s) => s.reconnectMaxMs >= s.reconnectFirstMs, {
    message: 'reconnectMaxMs must be at least reconnectFirstMs',
    path: ['reconnectMaxMs'],
  });
export type ModbusSettings = z.infer<typeof ModbusSettings>;

const ModbusDriverDef = z
  .object({
    id: Name,
    type: z.literal('modbus'),
    description: z.string().max(500).default(''),
    settings: ModbusSettings,
  })
  .strict();
export type ModbusDriverDef = z.infer<typeof ModbusDriverDef>;

/** OPC UA message security: `sign` signs every message, `signAndEncrypt` also encrypts it. */
export const OpcuaSecurityMode = z.enum(['none', 'sign', 'signAndEncrypt']);
export type OpcuaSecurityMode = z.infer<typeof OpcuaSecurityMode>;

export const OpcuaSecurityPolicy = z.enum(['Basic256Sha256', 'Aes128_Sha256_RsaOaep', 'Aes256_Sha256_RsaPss']);
export type OpcuaSecurityPolicy = z.infer<typeof OpcuaSecurityPolicy>;

export const OpcuaSettings = z
  .object({
    endpointUrl: z
      .string()
      .max(500)
      .regex(/^opc\.tcp:\/\/[^\s/:]+(:\d{1,5})?(\/\S*)?$/, 'use "opc.tcp://host:port[/path]", e.g. "opc.tcp://192.168.0.20:4840"'),
    securityMode: OpcuaSecurityMode.default('none'),
    /** Only with `sign` or `signAndEncrypt`; Basic256Sha256 when left out. */
    securityPolicy: OpcuaSecurityPolicy.optional(),
    /** Without a user name the session is anonymous. */
    userName: z.string().min(1).max(200).optional(),
    password: z.string().max(200).optional(),
    /** Folder of the client's certificate and of the trusted / rejected server certificates. */
    pkiDir: z.string().min(1).max(500).optional(),
    /** Trust a server certificate never seen before (otherwise it lands in `<pkiDir>/rejected` until moved to `trusted`). */
    acceptUnknownServerCertificate: z.boolean().default(false),
    /** How often the server samples a tag that does not give its own `samplingMs`; 0 asks for the fastest it can. */
    samplingIntervalMs: z.number().int().min(0).max(3_600_000).default(1_000),
    /** How often the server sends the changes it sampled. */
    publishingIntervalMs: z.number().int().min(10).max(3_600_000).default(500),
    /** A connection or request without an answer after this long is a communication error. */
    timeoutMs: z.number().int().min(100).max(120_000).default(5_000),
    /** The server closes a session it has not heard from for this long. */
    sessionTimeoutMs: z.number().int().min(1_000).max(3_600_000).default(60_000),
    /** Waits between reconnection attempts double from the first to the last and stay there. */
    reconnectFirstMs: z.number().int().min(10).max(60_000).default(500),
    reconnectMaxMs: z.number().int().min(10).max(600_000).default(30_000),
  })
  .strict()
  .refine((s) => s.reconnectMaxMs >= s.reconnectFirstMs, {
    message: 'reconnectMaxMs must be at least reconnectFirstMs',
    path: ['reconnectMaxMs'],
  })
  .refine((s) => s.securityMode !== 'none' || s.securityPolicy === undefined, {
    message: 'securityPolicy applies only with securityMode "sign" or "signAndEncrypt"',
    path: ['securityPolicy'],
  })
  .refine((s) => s.password === undefined || s.userName !== undefined, {
    message: 'a password needs a userName',
    path: ['password'],
  });
export type OpcuaSettings = z.infer<typeof OpcuaSettings>;

const OpcuaDriverDef = z
  .object({
    id: Name,
    type: z.literal('opcua'),
    description: z.string().max(500).default(''),
    settings: OpcuaSettings,
  })
  .strict();
export type OpcuaDriverDef = z.infer<typeof OpcuaDriverDef>;

export const DriverDef = z.discriminatedUnion('type', [SimulatorDriverDef, ModbusDriverDef, OpcuaDriverDef]);
export type DriverDef = z.infer<typeof DriverDef>;

export const Scaling = z
  .object({ rawLow: z.number(), rawHigh: z.number(), euLow: z.number(), euHigh: z.number() })
  .strict()
  .refine((s) => s.rawHigh !== s.rawLow, 'rawHigh must differ from rawLow');
export type Scaling = z.infer<typeof Scaling>;

export const ArchiveSettings = z
  .object({
    enabled: z.boolean().default(true),
    /** A new value is archived only when it differs from the last archived one by more than this. */
    deadband: z.number().min(0).default(0),
  })
  .strict();

export const TagDef = z
  .object({
    id: Name,
    description: z.string().max(500).default(''),
    type: TagType.default('number'),
    unit: z.string().max(20).default(''),
    driver: Name,
    address: z.string().min(1).max(500),
    scale: Scaling.optional(),
    /** Operators with the right permission may write it (setpoints, recipe values); written through the Server only. */
    writable: z.boolean().default(false),
    /** Writes outside this range are refused before they reach the driver. */
    writeRange: z
      .object({ min: z.number(), max: z.number() })
      .strict()
      .refine((r) => r.max >= r.min, 'max must be at least min')
      .optional(),
    archive: ArchiveSettings.default(() => ArchiveSettings.parse({})),
  })
  .strict();
export type TagDef = z.infer<typeof TagDef>;

const LimitCondition = z
  .object({
    type: z.enum(['HH', 'H', 'L', 'LL']),
    limit: z.number(),
    /** Hysteresis: the alarm clears only once the value is this far back inside the limit. */
    deadband: z.number().min(0).default(0),
  })
  .strict();

const BinaryCondition = z
  .object({ type: z.literal('binary'), activeWhen: z.union([z.literal(0), z.literal(1)]).default(1) })
  .strict();

export const AlarmCondition = z.discriminatedUnion('type', [LimitCondition, BinaryCondition]);
export type AlarmCondition = z.infer<typeof AlarmCondition>;

export const AlarmDef = z
  .object({
    id: Name,
    tag: Name,
    condition: AlarmCondition,
    text: z.string().min(1).max(300),
    priority: AlarmPriority.default('medium'),
    class: z.string().max(60).default('process'),
    /** The condition must hold this long before the alarm activates. */
    onDelayMs: z.number().int().min(0).max(3_600_000).default(0),
    /** The condition must be gone this long before the alarm returns to normal. */
    offDelayMs: z.number().int().min(0).max(3_600_000).default(0),
    /** Suppressed by design while this tag has this value (e.g. a trip alarm while the unit is off). */
    suppressedBy: z.object({ tag: Name, equals: z.number() }).strict().optional(),
  })
  .strict();
export type AlarmDef = z.infer<typeof AlarmDef>;

export const RecipeDef = z
  .object({
    id: Name,
    name: z.string().min(1).max(120),
    description: z.string().max(500).default(''),
    values: z.record(Name, z.number()),
  })
  .strict();
export type RecipeDef = z.infer<typeof RecipeDef>;

/** Who may look without signing in; acting always needs a login with a role that allows it. */
export const ProjectAccess = z
  .object({
    /** True (the default): plant screens and GET routes show values without a login. */
    viewWithoutLogin: z.boolean().default(true),
  })
  .strict();
export type ProjectAccess = z.infer<typeof ProjectAccess>;

export const ProjectFile = z
  .object({
    format: z.literal('tandem-project/1'),
    id: ProjectId,
    name: z.string().min(1).max(120),
    description: z.string().max(2000).default(''),
    drivers: z.array(DriverDef).min(1).max(64),
    tags: z.array(TagDef).max(200_000),
    alarms: z.array(AlarmDef).max(200_000).default([]),
    recipes: z.array(RecipeDef).max(10_000).default([]),
    access: ProjectAccess.default({ viewWithoutLogin: true }),
  })
  .strict();
export type ProjectFile = z.infer<typeof ProjectFile>;
