import type { IncomingMessage } from 'node:http';
import { LoginBody, PasswordBody, UserSaveBody, type MeResponse, type UsersResponse } from '../../../shared/protocol/api.js';
import type { Caller } from '../auth/auth-service.js';
import { forbidden, unauthorized } from '../auth/auth-service.js';
import { hashPassword } from '../auth/password-hash.js';
import { notFound } from './http-error.js';
import { readBody } from './request-body.js';
import { host, run, type ApiContext, type Route } from './routes.js';

const ID = '([^/]+)';

/** Logins and the users of a project (auth/DESIGN.md); docs/api.md describes them for clients. */
export const AUTH_ROUTES: Route[] = [
  { method: 'POST', permission: 'anyone', pattern: /^\/api\/login$/, handler: login },
  { method: 'POST', permission: 'signedIn', pattern: /^\/api\/logout$/, handler: (ctx, _req, _url, _params, caller) => (ctx.auth.signOut(signedIn(caller)), { signedOut: true }) },
  { method: 'GET', permission: 'signedIn', pattern: /^\/api\/me$/, handler: (_ctx, _req, _url, _params, caller) => me(signedIn(caller)) },
  { method: 'GET', permission: 'administer', pattern: new RegExp(`^/api/projects/${ID}/users$`), handler: users },
  { method: 'POST', permission: 'administer', pattern: new RegExp(`^/api/projects/${ID}/users$`), handler: saveUser },
  { method: 'POST', permission: 'signedIn', pattern: new RegExp(`^/api/projects/${ID}/users/${ID}/password$`), handler: changePassword },
];

async function login(ctx: ApiContext, req: IncomingMessage) {
  const body = await readBody(req, LoginBody);
  return ctx.auth.login(body, clientAddress(req));
}

function me(caller: Caller): MeResponse {
  return { user: caller.user, role: caller.role, project: caller.project, expiresAt: caller.claims.exp };
}

/** Never the password hashes. */
function users(ctx: ApiContext, _req: IncomingMessage, _url: URL, [id]: string[]): UsersResponse {
  const records = host(ctx, id).users().sort((a, b) => a.name.localeCompare(b.name));
  return { users: records.map(({ name, role, disabled, version, t, by }) => ({ name, role, disabled, version, t, by })) };
}

async function saveUser(ctx: ApiContext, req: IncomingMessage, _url: URL, [id]: string[], caller: Caller | null) {
  const project = host(ctx, id);
  const body = await readBody(req, UserSaveBody);
  const passwordHash = body.password === undefined ? null : await hashPassword(body.password);
  const { name, role, disabled, baseVersion, comment } = body;
  return run(project, body, caller, { kind: 'user', name, role, passwordHash, disabled, baseVersion, comment });
}

/** Users change their own password (giving the current one); administrators set anyone's. */
async function changePassword(ctx: ApiContext, req: IncomingMessage, _url: URL, [id, name]: string[], caller: Caller | null) {
  const project = host(ctx, id);
  const self = signedIn(caller);
  const user = project.user(name ?? '');
  if (!user) throw notFound(`project "${project.project.id}" has no user "${name}"`);
  const body = await readBody(req, PasswordBody);
  if (self.project !== project.project.id) throw forbidden(`you are signed in to project "${self.project}", not "${project.project.id}"`);
  if (self.user === user.name) {
    if (body.currentPassword === undefined) throw forbidden('the current password is missing: to change your own password, give your current one as "currentPassword"');
    await ctx.auth.checkCurrentPassword(project.project.id, user, body.currentPassword, clientAddress(req));
  } else if (self.role !== 'administrator') {
    throw forbidden(`setting another user's password needs the role administrator; ${self.user} is ${self.role}`);
  }
  const passwordHash = await hashPassword(body.password);
  return run(project, body, self, { kind: 'user', name: user.name, role: user.role, passwordHash, disabled: user.disabled, comment: '' });
}

function clientAddress(req: IncomingMessage): string {
  return req.socket.remoteAddress ?? 'unknown';
}

function signedIn(caller: Caller | null): Caller {
  if (!caller) throw unauthorized('this needs a login: sign in (POST /api/login) and send "Authorization: Bearer <token>"');
  return caller;
}
