import { UserName, type UserRole } from '../../../../shared/domain/user-role.js';
import type { CommandResponse, UserInfo } from '../../../../shared/protocol/api.js';
import { passwordProblem, type PasswordPair } from '../common/password-rules.js';

/** One change an administrator makes to the project's users, as typed, before it is asked and sent. */
export type UserChange =
  | { kind: 'add'; name: string; role: UserRole; password: string }
  | { kind: 'role'; user: UserInfo; role: UserRole }
  | { kind: 'password'; user: UserInfo; password: string }
  | { kind: 'disabled'; user: UserInfo; disabled: boolean };

/** A change to send, or why the form cannot send it yet. */
export type Checked = { change: UserChange } | { problem: string };

/** What the list offers for a row: the kind of form it opens. */
export type RowAction = 'role' | 'password' | 'disable' | 'enable';

/**
 * The changes an administrator may start from a user's row. Never on their own row: demoting or
 * disabling oneself could leave the project without an administrator, and one's own password is
 * changed at the top right, with the current one.
 */
export function rowActions(user: UserInfo, self: string): RowAction[] {
  if (user.name === self) return [];
  return ['role', 'password', user.disabled ? 'enable' : 'disable'];
}

/** A new user from the add form: the name and the password are checked by the server's own rules. */
export function checkNewUser(name: string, role: UserRole, typed: PasswordPair): Checked {
  const named = UserName.safeParse(name);
  if (!named.success) return { problem: `The user name "${name}" is not allowed: ${named.error.issues[0]?.message ?? 'choose another'}.` };
  const problem = passwordProblem(typed);
  return problem ? { problem } : { change: { kind: 'add', name, role, password: typed.password } };
}

export function checkRole(user: UserInfo, role: UserRole): Checked {
  return role === user.role ? { problem: `${user.name} is ${role} already: choose another role.` } : { change: { kind: 'role', user, role } };
}

export function checkPassword(user: UserInfo, typed: PasswordPair): Checked {
  const problem = passwordProblem(typed);
  return problem ? { problem } : { change: { kind: 'password', user, password: typed.password } };
}

/**
 * Where a change goes (below the project's path) and its body without the request id. Changes to an
 * existing user carry the version the administrator saw, and a new user version 0, so the server
 * refuses (409) to overwrite a user someone else created or changed meanwhile.
 */
export function changeRequest(change: UserChange): { path: string; body: object } {
  switch (change.kind) {
    case 'add':
      return { path: '/users', body: { name: change.name, role: change.role, password: change.password, disabled: false, baseVersion: 0 } };
    case 'role':
      return { path: '/users', body: { name: change.user.name, role: change.role, disabled: change.user.disabled, baseVersion: change.user.version } };
    case 'disabled':
      return { path: '/users', body: { name: change.user.name, role: change.user.role, disabled: change.disabled, baseVersion: change.user.version } };
    case 'password':
      return { path: `/users/${encodeURIComponent(change.user.name)}/password`, body: { password: change.password } };
  }
}

/** How a change is named while it is sent, the question that asks for it, the button that confirms it and what it did. */
export function describeChange(change: UserChange): { what: string; question: string; confirm: string; done: string } {
  switch (change.kind) {
    case 'add': {
      const { name, role } = change;
      return { what: `Adding user ${name}`, question: `Add ${name} as ${role}? ${name} can sign in at once with the password you typed.`, confirm: 'Add user', done: `Added ${name} as ${role}.` };
    }
    case 'role': {
      const { name, role: before } = change.user;
      return {
        what: `Changing the role of ${name}`,
        question: `Change the role of ${name} from ${before} to ${change.role}? It takes effect at once, on every station.`,
        confirm: 'Change role',
        done: `${name} is now ${change.role}.`,
      };
    }
    case 'password': {
      const { name } = change.user;
      return {
        what: `Setting the password of ${name}`,
        question: `Set a new password for ${name}? The old one stops working; stations signed in as ${name} stay signed in.`,
        confirm: 'Set password',
        done: `New password set for ${name}.`,
      };
    }
    case 'disabled': {
      const { name } = change.user;
      return change.disabled
        ? { what: `Disabling ${name}`, question: `Disable ${name}? ${name} can no longer sign in, and stations signed in as ${name} are signed out.`, confirm: 'Disable', done: `${name} is disabled.` }
        : { what: `Enabling ${name}`, question: `Enable ${name} again? ${name} can sign in with the same password as before.`, confirm: 'Enable', done: `${name} is enabled.` };
    }
  }
}

/** The Server's answer to a change, in words. */
export function changeDone(change: UserChange, reply: CommandResponse): string {
  const repeated = reply.applied ? '' : ' (The Server had taken this request before; it stands as it was.)';
  const degraded = reply.degraded ? ' Confirmed without a Standby holding a copy: redundancy is degraded.' : '';
  return `${describeChange(change).done}${repeated}${degraded}`;
}
