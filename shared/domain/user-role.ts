import { z } from 'zod';
import { isNewerVersion } from './versioned-record.js';

/** What a user of a project may do, lowest first: each role may do everything of the roles before it. */
export const UserRole = z.enum(['viewer', 'operator', 'engineer', 'administrator']);
export type UserRole = z.infer<typeof UserRole>;

/**
 * What an action needs of the caller: viewers see, operators acknowledge and shelve, engineers
 * write, edit recipes, switch roles and pair nodes, administrators manage users.
 */
export type Permission = 'view' | 'operate' | 'engineer' | 'administer';

/** The lowest role that holds each permission. */
export const ROLE_FOR: Record<Permission, UserRole> = { view: 'viewer', operate: 'operator', engineer: 'engineer', administer: 'administrator' };

export function roleAllows(role: UserRole, permission: Permission): boolean {
  return UserRole.options.indexOf(role) >= UserRole.options.indexOf(ROLE_FOR[permission]);
}

/** A user name: letters, digits, ".", "_" and "-", as typed at the login. */
export const UserName = z.string().min(1, 'give a name').max(60, 'at most 60 characters').regex(/^[A-Za-z0-9._-]+$/, 'use letters, digits, ".", "_" and "-"');

/** A user as the project's log keeps it; the newest version is current (isNewerUser). */
export const UserRecord = z.object({
  name: UserName,
  role: UserRole,
  /** `scrypt$N$r$p$salt$hash` (password-hash.ts); never sent to clients nor written to the CEL. */
  passwordHash: z.string().max(300),
  disabled: z.boolean(),
  version: z.number().int().positive(),
  t: z.number(),
  /** Who made this version (`system` for the first administrator). */
  by: z.string(),
});
export type UserRecord = z.infer<typeof UserRecord>;

/**
 * Which of two versions of a user is current: as for every versioned record (versioned-record.ts),
 * the higher version, then the later time, then the acting user's name, so two nodes holding the
 * same versions agree whatever order they came in.
 */
export function isNewerUser(candidate: UserRecord, current: UserRecord | undefined): boolean {
  return isNewerVersion({ ...candidate, user: candidate.by }, current && { ...current, user: current.by });
}
