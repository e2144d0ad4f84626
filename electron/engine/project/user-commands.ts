import { isNewerUser, type UserRecord } from '../../../shared/domain/user-role.js';
import type { OperatorCommand } from '../../../shared/protocol/ops.js';

export type UserCommand = Extract<OperatorCommand, { kind: 'user' }>;

/** The users of a project, the newest version of each. */
export class UserBook {
  private readonly current = new Map<string, UserRecord>();

  constructor(stored: Iterable<UserRecord>) {
    for (const user of stored) this.record(user);
  }

  get(name: string): UserRecord | undefined {
    return this.current.get(name);
  }

  record(user: UserRecord): void {
    if (isNewerUser(user, this.current.get(user.name))) this.current.set(user.name, user);
  }

  all(): UserRecord[] {
    return [...this.current.values()];
  }
}

export type ResolvedUser = { ok: true; user: UserRecord; text: string } | { ok: false; code: 'invalid' | 'conflict'; message: string };

/** What resolving a user command looks at besides the command itself. */
export interface UserContext {
  users: UserBook;
  /** The project's id, for messages. */
  project: string;
  /** The acting user. */
  by: string;
  t: number;
}

/** The next version of a user a command makes, and the CEL text that records it (never the hash). */
export function resolveUser(command: UserCommand, { users, project, by, t }: UserContext): ResolvedUser {
  const current = users.get(command.name);
  if (command.baseVersion !== undefined && command.baseVersion !== (current?.version ?? 0)) {
    return { ok: false, code: 'conflict', message: staleText(command.name, command.baseVersion, current) };
  }
  const passwordHash = command.passwordHash ?? current?.passwordHash;
  if (passwordHash === undefined) return { ok: false, code: 'invalid', message: `user "${command.name}" does not exist yet: give a password to create it` };
  const user: UserRecord = { name: command.name, role: command.role, passwordHash, disabled: command.disabled, version: (current?.version ?? 0) + 1, t, by };
  const lastAdministrator = lastAdministratorText(users, current, user, project);
  if (lastAdministrator !== null) return { ok: false, code: 'conflict', message: lastAdministrator };
  return { ok: true, user, text: userChangeText(current, user, command.passwordHash !== null) };
}

/**
 * Why a change is refused that would leave the project without an enabled administrator: no one
 * could then manage users, and the first administrator is only made for a project with no users at
 * all. Null when the change keeps one (another enabled administrator, or the user stays one).
 */
function lastAdministratorText(users: UserBook, before: UserRecord | undefined, after: UserRecord, project: string): string | null {
  if (!before || !isEnabledAdministrator(before) || isEnabledAdministrator(after)) return null;
  if (users.all().some((user) => user.name !== after.name && isEnabledAdministrator(user))) return null;
  const change = after.disabled ? 'be disabled' : `become ${after.role}`;
  return `user "${after.name}" is the last enabled administrator of project "${project}" and cannot ${change}: make another user administrator first`;
}

function isEnabledAdministrator(user: UserRecord): boolean {
  return user.role === 'administrator' && !user.disabled;
}

/** Why a change made from `baseVersion` is refused: the administrator saw another version than the current one. */
function staleText(name: string, baseVersion: number, current: UserRecord | undefined): string {
  if (!current) return `user "${name}" does not exist: reload the users and try again`;
  if (baseVersion === 0) return `user "${name}" exists already (version ${current.version}, last changed by ${current.by}): choose another name, or change that user in the list`;
  return `user "${name}" was changed to version ${current.version} by ${current.by} since you read version ${baseVersion}: reload the users and try again`;
}

function userChangeText(before: UserRecord | undefined, after: UserRecord, passwordChanged: boolean): string {
  if (!before) return `User ${after.name} created as ${after.role}${after.disabled ? ' (disabled)' : ''}`;
  const changes: string[] = [];
  if (before.role !== after.role) changes.push(`role ${before.role} → ${after.role}`);
  if (passwordChanged) changes.push('password changed');
  if (before.disabled !== after.disabled) changes.push(after.disabled ? 'disabled' : 'enabled');
  return `User ${after.name}: ${changes.length > 0 ? changes.join(', ') : 'saved unchanged'}`;
}
