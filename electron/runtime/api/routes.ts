import type { IncomingMessage } from 'node:http';
import {
  AckBody,
  AckManyBody,
  ArchiveQuery,
  CelQuery,
  RecipeDownloadBody,
  RecipeSaveBody,
  RecipeUploadBody,
  FreezeBody,
  PreferredBody,
  ServiceBody,
  ShelveBody,
  SwitchoverBody,
  SwitchoversQuery,
  type SwitchoversResponse,
  UnshelveBody,
  WriteBody,
  type CommandResponse,
  type RecipesResponse,
  type ResourceHealth,
  type StatusResponse,
} from '../../../shared/protocol/api.js';
import type { OperatorCommand } from '../../../shared/protocol/ops.js';
import type { Permission } from '../../../shared/domain/user-role.js';
import type { AuthService, Caller } from '../auth/auth-service.js';
import type { Clock } from '../clock.js';
import type { CommandResult, ProjectHost } from '../host/project-host.js';
import type { PairingService } from '../pairing/pairing-service.js';
import { HttpError, notFound } from './http-error.js';
import { readBody, readQuery } from './request-body.js';

export interface ApiContext {
  clock: Clock;
  node: string;
  version: string;
  startedAt: number;
  projects: ReadonlyMap<string, ProjectHost>;
  resources(): ResourceHealth;
  /** What a node started by `tandem demo` offers beyond the plant API (demo-routes.ts); null elsewhere. */
  demo: DemoControls | null;
  /** Pairing with another node (pairing-routes.ts); null where the node offers none (tests of the API alone). */
  pairing: PairingService | null;
  auth: AuthService;
}

export interface DemoControls {
  /** Ends this node's process at once, as a power cut would. */
  powerCut(askedBy: string): void;
}

/** An answer other than 200 with a JSON body, and what to do once the exchange is over. */
export class Answer {
  constructor(
    readonly status: number,
    readonly body: unknown,
    readonly afterSent: () => void,
  ) {}
}

/** `caller` is null only on routes that need no login (viewing where the project allows it, the login itself). */
export type Handler = (ctx: ApiContext, req: IncomingMessage, url: URL, params: string[], caller: Caller | null) => Promise<unknown> | unknown;

export type { Permission };

export interface Route {
  method: 'GET' | 'POST';
  pattern: RegExp;
  /**
   * What the route needs of the caller (user-role.ts), checked centrally by the HTTP server before
   * the handler runs; `anyone`: the login; `signedIn`: any valid token (the handler decides more);
   * `peer`: a node-to-node call that carries its own proof (pairing keys, the cluster secret) and
   * comes from another node, which has no user login.
   */
  permission: Permission | 'anyone' | 'signedIn' | 'peer';
  handler: Handler;
}

const ID = '([^/]+)';

/** Every HTTP API route of every node. docs/api.md describes them for clients. */
export const ROUTES: Route[] = [
  { method: 'GET', permission: 'view', pattern: /^\/api\/status$/, handler: status },
  { method: 'GET', permission: 'view', pattern: new RegExp(`^/api/projects/${ID}/tags$`), handler: (ctx, _req, _url, [id]) => ({ tags: host(ctx, id).tags() }) },
  { method: 'GET', permission: 'view', pattern: new RegExp(`^/api/projects/${ID}/alarms$`), handler: (ctx, _req, _url, [id]) => ({ alarms: host(ctx, id).activeAlarms() }) },
  { method: 'GET', permission: 'view', pattern: new RegExp(`^/api/projects/${ID}/cel$`), handler: (ctx, _req, url, [id]) => host(ctx, id).queryCel(readQuery(url.searchParams, CelQuery)) },
  { method: 'GET', permission: 'view', pattern: new RegExp(`^/api/projects/${ID}/archive$`), handler: archive },
  {
    method: 'GET',
    permission: 'view',
    pattern: new RegExp(`^/api/projects/${ID}/switchovers$`),
    handler: (ctx, _req, url, [id]): SwitchoversResponse => ({ switchovers: host(ctx, id).store.roleChanges(readQuery(url.searchParams, SwitchoversQuery).limit) }),
  },
  { method: 'POST', permission: 'operate', pattern: new RegExp(`^/api/projects/${ID}/alarms/ack$`), handler: ackMany },
  { method: 'POST', permission: 'operate', pattern: new RegExp(`^/api/projects/${ID}/alarms/${ID}/ack$`), handler: ackOne },
  { method: 'POST', permission: 'operate', pattern: new RegExp(`^/api/projects/${ID}/alarms/${ID}/shelve$`), handler: shelve },
  { method: 'POST', permission: 'operate', pattern: new RegExp(`^/api/projects/${ID}/alarms/${ID}/unshelve$`), handler: unshelve },
  { method: 'POST', permission: 'engineer', pattern: new RegExp(`^/api/projects/${ID}/tags/${ID}/write$`), handler: writeTag },
  { method: 'GET', permission: 'view', pattern: new RegExp(`^/api/projects/${ID}/recipes$`), handler: (ctx, _req, _url, [id]) => recipes(host(ctx, id)) },
  { method: 'POST', permission: 'engineer', pattern: new RegExp(`^/api/projects/${ID}/recipes/${ID}$`), handler: saveRecipe },
  { method: 'POST', permission: 'engineer', pattern: new RegExp(`^/api/projects/${ID}/recipes/${ID}/upload$`), handler: uploadRecipe },
  { method: 'POST', permission: 'engineer', pattern: new RegExp(`^/api/projects/${ID}/recipes/${ID}/download$`), handler: downloadRecipe },
  { method: 'POST', permission: 'engineer', pattern: new RegExp(`^/api/projects/${ID}/switchover$`), handler: switchover },
  { method: 'POST', permission: 'engineer', pattern: new RegExp(`^/api/projects/${ID}/preferred$`), handler: preferred },
  { method: 'POST', permission: 'engineer', pattern: new RegExp(`^/api/projects/${ID}/freeze$`), handler: freeze },
  { method: 'POST', permission: 'engineer', pattern: new RegExp(`^/api/projects/${ID}/nodes/${ID}/service$`), handler: service },
];

function status(ctx: ApiContext): StatusResponse {
  return {
    node: ctx.node,
    version: ctx.version,
    startedAt: ctx.startedAt,
    resources: ctx.resources(),
    projects: [...ctx.projects.values()].map((project) => project.status()),
    demo: ctx.demo ? { powerCut: true } : null,
  };
}

function archive(ctx: ApiContext, _req: IncomingMessage, url: URL, [id]: string[]) {
  const project = host(ctx, id);
  const query = readQuery(url.searchParams, ArchiveQuery);
  if (!project.project.tags.some((tag) => tag.id === query.tag)) throw notFound(`project "${project.project.id}" has no tag "${query.tag}"`);
  return project.queryArchive(query);
}

async function ackMany(ctx: ApiContext, req: IncomingMessage, _url: URL, [id]: string[], caller: Caller | null) {
  const project = host(ctx, id);
  const body = await readBody(req, AckManyBody);
  return run(project, body, caller, { kind: 'ack', alarmIds: body.alarmIds, comment: body.comment });
}

async function ackOne(ctx: ApiContext, req: IncomingMessage, _url: URL, [id, alarmId]: string[], caller: Caller | null) {
  const project = hostWithAlarm(ctx, id, alarmId);
  const body = await readBody(req, AckBody);
  return run(project, body, caller, { kind: 'ack', alarmIds: [alarmId!], comment: body.comment });
}

async function shelve(ctx: ApiContext, req: IncomingMessage, _url: URL, [id, alarmId]: string[], caller: Caller | null) {
  const project = hostWithAlarm(ctx, id, alarmId);
  const body = await readBody(req, ShelveBody);
  return run(project, body, caller, { kind: 'shelve', alarmId: alarmId!, durationMs: body.durationMs, comment: body.comment });
}

async function unshelve(ctx: ApiContext, req: IncomingMessage, _url: URL, [id, alarmId]: string[], caller: Caller | null) {
  const project = hostWithAlarm(ctx, id, alarmId);
  const body = await readBody(req, UnshelveBody);
  return run(project, body, caller, { kind: 'unshelve', alarmId: alarmId!, comment: body.comment });
}

async function writeTag(ctx: ApiContext, req: IncomingMessage, _url: URL, [id, tagId]: string[], caller: Caller | null) {
  const project = host(ctx, id);
  if (!project.project.tags.some((tag) => tag.id === tagId)) throw notFound(`project "${project.project.id}" has no tag "${tagId}"`);
  const body = await readBody(req, WriteBody);
  return run(project, body, caller, { kind: 'write', writes: [{ tag: tagId!, value: body.value }], recipe: null, comment: body.comment });
}

function recipes(project: ProjectHost): RecipesResponse {
  const versions = new Map(project.recipes().map((version) => [version.recipeId, version]));
  return {
    recipes: project.project.recipes.map((def) => {
      const current = versions.get(def.id);
      return {
        id: def.id,
        name: def.name,
        description: def.description,
        tags: Object.keys(def.values),
        version: current?.version ?? 0,
        values: current?.values ?? def.values,
        t: current && current.version > 0 ? current.t : null,
        user: current?.user ?? null,
      };
    }),
  };
}

async function saveRecipe(ctx: ApiContext, req: IncomingMessage, _url: URL, [id, recipeId]: string[], caller: Caller | null) {
  const project = hostWithRecipe(ctx, id, recipeId);
  const body = await readBody(req, RecipeSaveBody);
  return run(project, body, caller, { kind: 'recipe', recipeId: recipeId!, values: body.values, baseVersion: body.baseVersion, comment: body.comment });
}

async function uploadRecipe(ctx: ApiContext, req: IncomingMessage, _url: URL, [id, recipeId]: string[], caller: Caller | null) {
  const project = hostWithRecipe(ctx, id, recipeId);
  const body = await readBody(req, RecipeUploadBody);
  return run(project, body, caller, { kind: 'recipe', recipeId: recipeId!, values: null, baseVersion: body.baseVersion, comment: body.comment });
}

async function downloadRecipe(ctx: ApiContext, req: IncomingMessage, _url: URL, [id, recipeId]: string[], caller: Caller | null) {
  const project = hostWithRecipe(ctx, id, recipeId);
  const body = await readBody(req, RecipeDownloadBody);
  return run(project, body, caller, { kind: 'write', writes: [], recipe: { id: recipeId!, version: body.version ?? null }, comment: body.comment });
}

async function switchover(ctx: ApiContext, req: IncomingMessage, _url: URL, [id]: string[], caller: Caller | null) {
  const project = host(ctx, id);
  const body = await readBody(req, SwitchoverBody);
  return run(project, body, caller, { kind: 'switchover', to: body.to, comment: body.comment });
}

async function preferred(ctx: ApiContext, req: IncomingMessage, _url: URL, [id]: string[], caller: Caller | null) {
  const project = host(ctx, id);
  const body = await readBody(req, PreferredBody);
  return run(project, body, caller, { kind: 'preferred', node: body.node, comment: body.comment });
}

async function freeze(ctx: ApiContext, req: IncomingMessage, _url: URL, [id]: string[], caller: Caller | null) {
  const project = host(ctx, id);
  const body = await readBody(req, FreezeBody);
  return run(project, body, caller, { kind: 'freeze', frozen: body.frozen, comment: body.comment });
}

async function service(ctx: ApiContext, req: IncomingMessage, _url: URL, [id, node]: string[], caller: Caller | null) {
  const project = host(ctx, id);
  const body = await readBody(req, ServiceBody);
  return run(project, body, caller, { kind: 'service', node: node!, inService: body.inService, comment: body.comment });
}

const STATUS_OF: Record<Extract<CommandResult, { ok: false }>['code'], number> = { notFound: 404, conflict: 409, invalid: 400, notServer: 503 };

/** Sends a command as the signed-in caller; a body that names another user is refused. */
export async function run(project: ProjectHost, body: { requestId: string; user?: string | undefined }, caller: Caller | null, command: OperatorCommand): Promise<CommandResponse> {
  if (!caller) throw new HttpError(401, 'unauthorized', 'commands need a login: sign in (POST /api/login) and send "Authorization: Bearer <token>"');
  if (body.user !== undefined && body.user !== caller.user) {
    throw new HttpError(403, 'forbidden', `the body names user "${body.user}" but you are signed in as "${caller.user}": commands are recorded under the signed-in user`);
  }
  const result = await project.command({ requestId: body.requestId, user: caller.user, command });
  if (!result.ok) throw new HttpError(STATUS_OF[result.code], result.code, result.message, result.code === 'notServer' ? result.server : undefined);
  return { applied: result.applied, alarms: result.alarms, degraded: result.degraded, writes: result.writes };
}

export function host(ctx: ApiContext, id: string | undefined): ProjectHost {
  const project = ctx.projects.get(id ?? '');
  if (!project) throw notFound(`there is no project "${id}" on node ${ctx.node}`);
  return project;
}

function hostWithRecipe(ctx: ApiContext, id: string | undefined, recipeId: string | undefined): ProjectHost {
  const project = host(ctx, id);
  if (!project.project.recipes.some((recipe) => recipe.id === recipeId)) throw notFound(`project "${project.project.id}" has no recipe "${recipeId}"`);
  return project;
}

function hostWithAlarm(ctx: ApiContext, id: string | undefined, alarmId: string | undefined): ProjectHost {
  const project = host(ctx, id);
  if (!project.alarm(alarmId ?? '')) throw notFound(`project "${project.project.id}" has no alarm "${alarmId}"`);
  return project;
}
