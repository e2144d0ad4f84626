import type { IncomingMessage } from 'node:http';
import { ROLE_FOR, roleAllows, type Permission, type UserRecord, type UserRole } from '../../../shared/domain/user-role.js';
import type { LoginBody, LoginResponse } from '../../../shared/protocol/api.js';
import type { Clock } from '../clock.js';
import type { ProjectHost } from '../host/project-host.js';
import { HttpError } from '../api/http-error.js';
import { log } from '../log.js';
import { DenyList } from './deny-list.js';
import { LoginLimiter } from './login-limiter.js';
import { hashPassword, verifyPassword } from './password-hash.js';
import type { TokenClaims, TokenSigner } from './token.js';

/** Who sent a request: a signed-in user of one project, with the role the project's log gives them now. */
export interface Caller {
  user: string;
  role: UserRole;
  project: string;
  claims: TokenClaims;
}

/** A hash to verify against when the user does not exist, so an unknown name takes as long as a wrong password. */
const UNKNOWN_USER_HASH = hashPassword('tandem: no such user');

/**
 * Logins, bearer tokens and who may do what (auth/DESIGN.md). The HTTP server and the WebSocket
 * gateway ask it about every request; the role comes from the project's replicated users at the
 * time of the request, so a demoted or disabled user loses rights at once, on both nodes.
 */
export class AuthService {
  readonly limiter = new LoginLimiter();
  readonly denied = new DenyList();

  constructor(
    /** The current signing key's signer (the pair's or this node's; pairing changes it). */
    private readonly signer: () => TokenSigner,
    private readonly clock: Clock,
    private readonly projects: ReadonlyMap<string, ProjectHost>,
  ) {}

  /** The caller of a request, or null when it sent no token; 401 for a token that does not hold. */
  caller(token: string | null): Caller | null {
    if (token === null) return null;
    const check = this.signer().check(token, this.clock.now());
    if (!check.ok) throw unauthorized(check.reason);
    const { claims } = check;
    if (this.denied.has(claims.jti)) throw unauthorized('the token was signed out; sign in again');
    const user = this.projects.get(claims.project)?.user(claims.user);
    if (!user) throw unauthorized(`user "${claims.user}" does not exist in project "${claims.project}" on this node`);
    if (user.disabled) throw unauthorized(`user "${claims.user}" is disabled; ask an administrator`);
    return { user: user.name, role: user.role, project: claims.project, claims };
  }

  /**
   * Throws 401 or 403, naming what is missing, unless `caller` may do `permission` (on `projectId`,
   * when the route is about one project). Viewing needs no login where the project allows it.
   */
  authorize(caller: Caller | null, permission: Permission, projectId: string | null): void {
    const needed = ROLE_FOR[permission];
    if (!caller) {
      if (permission === 'view' && this.viewableWithoutLogin(projectId)) return;
      const what = permission === 'view' ? `viewing ${projectId ? `project "${projectId}"` : 'this node'} (the project's access.viewWithoutLogin is false)` : `this action`;
      throw unauthorized(`${what} needs a login as ${needed} or higher: sign in (POST /api/login) and send "Authorization: Bearer <token>"`);
    }
    if (projectId !== null && caller.project !== projectId && this.projects.has(projectId)) {
      throw forbidden(`you are signed in to project "${caller.project}", not "${projectId}": sign in to "${projectId}"`);
    }
    if (!roleAllows(caller.role, permission)) throw forbidden(`this needs the role ${needed} or higher; ${caller.user} is ${caller.role}`);
  }

  /** Checks a user name and password; 401 when they do not match, 429 after too many failures. */
  async login(body: LoginBody, address: string): Promise<LoginResponse> {
    const project = this.loginProject(body.project);
    // Not a failed guess: the Server creates the first administrator within moments of its start.
    if (project.users().length === 0) throw new HttpError(503, 'notReady', `project "${project.project.id}" has no users yet: its Server creates "admin" at its first start; try again in a moment`);
    const keys = limitKeys(project.project.id, body.user, address);
    this.refuseWhileLimited(keys, `login refused for "${body.user}" from ${address}`);
    // Counted before the check (taken back when right), so simultaneous guesses cannot all slip through.
    this.limiter.failed(keys, this.clock.now());
    const user = project.user(body.user);
    const matches = await verifyPassword(body.password, user?.passwordHash ?? (await UNKNOWN_USER_HASH));
    if (!user || !matches || user.disabled) {
      log('warn', `login failed for "${body.user}" of project "${project.project.id}" from ${address}`);
      throw unauthorized('wrong user name or password (or the user is disabled)');
    }
    this.limiter.succeeded(...keys);
    const { token, claims } = this.signer().issue(user.name, project.project.id, this.clock.now());
    return { token, user: user.name, role: user.role, project: claims.project, expiresAt: claims.exp };
  }

  /**
   * Checks the current password a user gives to change their own: a wrong one is a guess like a
   * failed login and spends the same budget (per user name and per address), so a stolen token
   * does not buy unlimited guesses. 403 when wrong, 429 after too many wrong passwords.
   */
  async checkCurrentPassword(projectId: string, user: UserRecord, password: string, address: string): Promise<void> {
    const keys = limitKeys(projectId, user.name, address);
    this.refuseWhileLimited(keys, `password change refused for "${user.name}" from ${address}`);
    this.limiter.failed(keys, this.clock.now());
    if (await verifyPassword(password, user.passwordHash)) {
      this.limiter.succeeded(...keys);
      return;
    }
    log('warn', `wrong current password for "${user.name}" of project "${projectId}" from ${address}`);
    throw forbidden('the current password is wrong: to change your own password, give your current one as "currentPassword"');
  }

  signOut(caller: Caller): void {
    this.denied.deny(caller.claims.jti, caller.claims.exp, this.clock.now());
  }

  /** 429 with retry-after while any of `keys` has used up its failures; `refused` starts the log line. */
  private refuseWhileLimited(keys: readonly string[], refused: string): void {
    const waitMs = this.limiter.retryAfterMs(keys, this.clock.now());
    if (waitMs === 0) return;
    const seconds = Math.ceil(waitMs / 1000);
    log('warn', `${refused}: too many wrong passwords, next try in ${seconds} s`);
    const message = `too many wrong passwords for this user or from this address (failed logins and password changes count together); try again in ${seconds} s`;
    throw new HttpError(429, 'tooManyRequests', message, undefined, { 'retry-after': String(seconds) });
  }

  private viewableWithoutLogin(projectId: string | null): boolean {
    if (projectId !== null) return this.projects.get(projectId)?.project.access.viewWithoutLogin ?? true;
    return [...this.projects.values()].every((host) => host.project.access.viewWithoutLogin);
  }

  private loginProject(id: string | undefined): ProjectHost {
    if (id !== undefined) {
      const project = this.projects.get(id);
      if (!project) throw new HttpError(404, 'notFound', `there is no project "${id}" on this node`);
      return project;
    }
    const [only, ...more] = this.projects.values();
    if (!only || more.length > 0) throw new HttpError(400, 'badRequest', `this node runs several projects: give "project" (one of ${[...this.projects.keys()].join(', ')})`);
    return only;
  }
}

/** What the limiter counts a password guess against: the user name in its project, and the client's address. */
function limitKeys(projectId: string, userName: string, address: string): [string, string] {
  return [`user:${projectId}/${userName}`, `addr:${address}`];
}

/** The bearer token of a request's Authorization header, if it has one. */
export function bearerToken(req: IncomingMessage): string | null {
  const header = req.headers.authorization;
  if (header === undefined) return null;
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  if (!match) throw unauthorized('the Authorization header is not "Bearer <token>"');
  return match[1]!;
}

export const unauthorized = (why: string) => new HttpError(401, 'unauthorized', why);
export const forbidden = (why: string) => new HttpError(403, 'forbidden', why);
