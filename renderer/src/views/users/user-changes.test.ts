import { describe, expect, it } from 'vitest';
import type { CommandResponse, UserInfo } from '../../../../shared/protocol/api.js';
import { changeDone, changeRequest, checkNewUser, checkPassword, checkRole, describeChange, rowActions } from './user-changes.js';

const olga: UserInfo = { name: 'olga', role: 'operator', disabled: false, version: 3, t: 1_764_140_000_000, by: 'admin' };
const reply = (applied = true, degraded = false): CommandResponse => ({ applied, degraded, alarms: [], writes: null });

describe('the changes an administrator starts from the user list', () => {
  it('offers role, password and disable or enable for others, nothing on their own row', () => {
    expect(rowActions(olga, 'admin')).toEqual(['role', 'password', 'disable']);
    expect(rowActions({ ...olga, disabled: true }, 'admin')).toEqual(['role', 'password', 'enable']);
    expect(rowActions({ ...olga, name: 'admin', role: 'administrator' }, 'admin')).toEqual([]);
  });
});

describe('checking a change before it is asked', () => {
  it('takes a new user whose name and password follow the server’s rules', () => {
    expect(checkNewUser('olga', 'operator', { password: 'olga-password', repeated: 'olga-password' })).toEqual({ change: { kind: 'add', name: 'olga', role: 'operator', password: 'olga-password' } });
  });

  it('names what is wrong with a new user: the name, a short password, a mismatched confirmation', () => {
    expect(checkNewUser('olga k', 'operator', { password: 'olga-password', repeated: 'olga-password' })).toEqual({ problem: 'The user name "olga k" is not allowed: use letters, digits, ".", "_" and "-".' });
    expect(checkNewUser('', 'operator', { password: 'olga-password', repeated: 'olga-password' })).toEqual({ problem: 'The user name "" is not allowed: give a name.' });
    expect(checkNewUser('olga', 'operator', { password: 'olga', repeated: 'olga' })).toEqual({ problem: 'A password needs at least 8 characters (this one has 4).' });
    expect(checkNewUser('olga', 'operator', { password: 'olga-password', repeated: 'olga-passwort' })).toEqual({ problem: 'The two passwords differ: type the same new password in both fields.' });
  });

  it('refuses a role the user has already, and checks a reset password like a new one', () => {
    expect(checkRole(olga, 'operator')).toEqual({ problem: 'olga is operator already: choose another role.' });
    expect(checkRole(olga, 'viewer')).toEqual({ change: { kind: 'role', user: olga, role: 'viewer' } });
    expect(checkPassword(olga, { password: 'new-password', repeated: 'new-passw0rd' })).toEqual({ problem: 'The two passwords differ: type the same new password in both fields.' });
  });
});

describe('what a change sends', () => {
  it('creates a user from version 0, so an existing user is never overwritten', () => {
    expect(changeRequest({ kind: 'add', name: 'olga', role: 'operator', password: 'olga-password' })).toEqual({
      path: '/users',
      body: { name: 'olga', role: 'operator', password: 'olga-password', disabled: false, baseVersion: 0 },
    });
  });

  it('changes a role or the disabled flag from the version shown, keeping the rest as shown', () => {
    expect(changeRequest({ kind: 'role', user: olga, role: 'viewer' })).toEqual({ path: '/users', body: { name: 'olga', role: 'viewer', disabled: false, baseVersion: 3 } });
    expect(changeRequest({ kind: 'disabled', user: olga, disabled: true })).toEqual({ path: '/users', body: { name: 'olga', role: 'operator', disabled: true, baseVersion: 3 } });
  });

  it('sets a password through the user’s own password route, without a current password', () => {
    expect(changeRequest({ kind: 'password', user: { ...olga, name: 'o.k' }, password: 'new-password' })).toEqual({ path: '/users/o.k/password', body: { password: 'new-password' } });
  });
});

describe('asking and answering', () => {
  it('asks with the user, the old and the new role, and never shows a password', () => {
    expect(describeChange({ kind: 'role', user: olga, role: 'viewer' }).question).toBe('Change the role of olga from operator to viewer? It takes effect at once, on every station.');
    expect(describeChange({ kind: 'add', name: 'olga', role: 'operator', password: 'olga-password' }).question).not.toContain('olga-password');
    expect(describeChange({ kind: 'disabled', user: olga, disabled: true }).confirm).toBe('Disable');
  });

  it('says what the Server did, and when it had taken the request before or had no Standby', () => {
    expect(changeDone({ kind: 'add', name: 'olga', role: 'operator', password: 'olga-password' }, reply())).toBe('Added olga as operator.');
    expect(changeDone({ kind: 'role', user: olga, role: 'viewer' }, reply())).toBe('olga is now viewer.');
    expect(changeDone({ kind: 'disabled', user: olga, disabled: false }, reply(false, true))).toBe(
      'olga is enabled. (The Server had taken this request before; it stands as it was.) Confirmed without a Standby holding a copy: redundancy is degraded.',
    );
  });
});
