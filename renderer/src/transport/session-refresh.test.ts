import { describe, expect, it } from 'vitest';
import type { Session } from '../stores/auth-store.js';
import { withCurrentRole } from './session-refresh.js';

const olga: Session = { token: 'token-1', user: 'olga', role: 'operator', project: 'fast', expiresAt: 1_764_170_000_000 };
const me = (role: Session['role'], user = 'olga') => ({ user, role, project: 'fast', expiresAt: olga.expiresAt });

describe('keeping the signed-in role current', () => {
  it('takes a role an administrator changed, keeping the token', () => {
    expect(withCurrentRole(olga, 'token-1', me('viewer'))).toEqual({ ...olga, role: 'viewer' });
  });

  it('changes nothing when the role is the same', () => {
    expect(withCurrentRole(olga, 'token-1', me('operator'))).toBeNull();
  });

  it('ignores an answer for a session that ended or was replaced while it was asked', () => {
    expect(withCurrentRole(null, 'token-1', me('viewer'))).toBeNull();
    expect(withCurrentRole({ ...olga, token: 'token-2' }, 'token-1', me('viewer'))).toBeNull();
    expect(withCurrentRole({ ...olga, user: 'vera', token: 'token-1' }, 'token-1', me('viewer'))).toBeNull();
  });
});
