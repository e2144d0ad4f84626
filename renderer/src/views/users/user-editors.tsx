import { useState } from 'react';
import { UserRole } from '../../../../shared/domain/user-role.js';
import type { UserInfo } from '../../../../shared/protocol/api.js';
import { PasswordFields } from '../common/password-fields.js';
import { NO_PASSWORD } from '../common/password-rules.js';
import { ChangeForm } from './change-form.js';
import { checkNewUser, checkPassword, checkRole, type RowAction } from './user-changes.js';

/** Which form is open: adding a user, or one of the changes a user's row offers. */
export type Editor = { kind: 'add' } | { kind: RowAction; user: UserInfo };

interface EditorProps {
  projectId: string;
  onDone: (answer: string) => void;
  onClose: () => void;
}

/** The open form; `key` it by `editorKey` so another form starts empty. */
export function UserEditor({ editor, ...props }: EditorProps & { editor: Editor }) {
  switch (editor.kind) {
    case 'add':
      return <AddUserForm {...props} />;
    case 'role':
      return <RoleForm {...props} user={editor.user} />;
    case 'password':
      return <ResetPasswordForm {...props} user={editor.user} />;
    case 'disable':
    case 'enable': {
      const change = { kind: 'disabled' as const, user: editor.user, disabled: editor.kind === 'disable' };
      return <ChangeForm {...props} label={editor.kind === 'disable' ? 'Disable' : 'Enable'} checked={{ change }} askAtOnce />;
    }
  }
}

export const editorKey = (editor: Editor): string => (editor.kind === 'add' ? 'add' : `${editor.kind}:${editor.user.name}`);

function AddUserForm(props: EditorProps) {
  const [name, setName] = useState('');
  const [role, setRole] = useState<UserRole>('viewer');
  const [pair, setPair] = useState(NO_PASSWORD);
  return (
    <ChangeForm {...props} label="Add user" checked={checkNewUser(name.trim(), role, pair)}>
      <label className="field">
        Name
        <input data-testid="new-user-name" value={name} autoFocus autoComplete="off" spellCheck={false} maxLength={60} onChange={(event) => setName(event.target.value)} />
      </label>
      <RoleSelect label="Role" value={role} onChange={setRole} />
      <PasswordFields label="Password" value={pair} onChange={setPair} />
    </ChangeForm>
  );
}

function RoleForm({ user, ...props }: EditorProps & { user: UserInfo }) {
  const [role, setRole] = useState(user.role);
  return (
    <ChangeForm {...props} label="Change role" checked={checkRole(user, role)}>
      <RoleSelect label={`Role of ${user.name}`} value={role} onChange={setRole} />
    </ChangeForm>
  );
}

function ResetPasswordForm({ user, ...props }: EditorProps & { user: UserInfo }) {
  const [pair, setPair] = useState(NO_PASSWORD);
  return (
    <ChangeForm {...props} label="Set password" checked={checkPassword(user, pair)}>
      <PasswordFields label={`New password for ${user.name}`} value={pair} onChange={setPair} />
    </ChangeForm>
  );
}

function RoleSelect({ label, value, onChange }: { label: string; value: UserRole; onChange: (role: UserRole) => void }) {
  return (
    <label className="field">
      {label}
      <select data-testid="role-select" value={value} onChange={(event) => onChange(UserRole.parse(event.target.value))}>
        {UserRole.options.map((role) => (
          <option key={role} value={role}>
            {role}
          </option>
        ))}
      </select>
    </label>
  );
}
