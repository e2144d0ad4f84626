import type { UserInfo } from '../../../../shared/protocol/api.js';
import { formatDateTime } from '../common/format.js';
import { rowActions, type RowAction } from './user-changes.js';

const ACTION_LABEL: Record<RowAction, string> = {
  role: 'Change role…',
  password: 'Reset password…',
  disable: 'Disable…',
  enable: 'Enable…',
};

/** The project's users, with what each row offers; the signed-in administrator's own row offers nothing. */
export function UserTable({ users, self, onAction }: { users: readonly UserInfo[]; self: string; onAction: (action: RowAction, user: UserInfo) => void }) {
  return (
    <table className="grid-table user-table">
      <thead>
        <tr>
          <th>User</th>
          <th>Role</th>
          <th>State</th>
          <th className="right">Version</th>
          <th>Last change</th>
          <th />
        </tr>
      </thead>
      <tbody>
        {users.map((user) => (
          <tr key={user.name} data-testid="user-row" data-user={user.name} className={user.disabled ? 'disabled' : ''}>
            <td>
              {user.name}
              {user.name === self ? <span className="muted"> (you)</span> : null}
            </td>
            <td data-testid="user-role">{user.role}</td>
            <td data-testid="user-state">{user.disabled ? 'disabled' : 'enabled'}</td>
            <td className="right num">{user.version}</td>
            <td className="num" data-testid="user-changed">
              {formatDateTime(user.t)} by {user.by}
            </td>
            <td>
              <div className="user-actions">
                {rowActions(user, self).map((action) => (
                  <button key={action} type="button" className="small" data-testid={`user-action-${action}`} onClick={() => onAction(action, user)}>
                    {ACTION_LABEL[action]}
                  </button>
                ))}
                {user.name === self ? <span className="muted small">Your own password: “Password…” at the top right</span> : null}
              </div>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
