import { useState } from 'react';
import { roleAllows } from '../../../../shared/domain/user-role.js';
import { UsersResponse } from '../../../../shared/protocol/api.js';
import { openLogin, useAuth, type Session } from '../../stores/auth-store.js';
import { useProject } from '../../stores/project-store.js';
import { projectPath } from '../../transport/project-path.js';
import { usePolledJson } from '../common/use-polled-json.js';
import { editorKey, UserEditor, type Editor } from './user-editors.js';
import { UserTable } from './user-table.js';

/** The users are re-read this often while the view is open, so another administrator's change shows up. */
const REFRESH_MS = 3_000;

/**
 * Users, for administrators: the project's users with their role, state and last change; adding a
 * user, changing a role, resetting a password, disabling and enabling, each asked first and answered
 * by the Server. Everyone else gets a sentence saying what the view needs (the nav does not offer it).
 */
export function UsersView() {
  const session = useAuth((s) => s.session);
  const projectId = useProject((s) => s.projectId);
  if (!session || !roleAllows(session.role, 'administer')) return <NeedsAdministrator session={session} />;
  if (projectId === null) return null;
  return <UserAdministration projectId={projectId} self={session.user} />;
}

function NeedsAdministrator({ session }: { session: Session | null }) {
  return (
    <section className="view users-view" aria-label="Users">
      <div className="panel users-panel">
        <p data-testid="users-needs-administrator">
          {session ? `Managing users needs the administrator role; ${session.user} is ${session.role}.` : 'Managing users needs the administrator role: sign in as an administrator.'}
        </p>
        {session ? null : (
          <button type="button" data-testid="users-sign-in" onClick={() => openLogin('Managing users needs a login as administrator.')}>
            Sign in…
          </button>
        )}
      </div>
    </section>
  );
}

function UserAdministration({ projectId, self }: { projectId: string; self: string }) {
  const polled = usePolledJson(`${projectPath(projectId)}/users`, UsersResponse, REFRESH_MS);
  const users = polled.data?.users ?? null;
  const [editor, setEditor] = useState<Editor | null>(null);
  const [answer, setAnswer] = useState<string | null>(null);

  const open = (next: Editor) => {
    setEditor(next);
    setAnswer(null);
  };
  const done = (text: string) => {
    setEditor(null);
    setAnswer(text);
    void polled.reload();
  };

  return (
    <section className="view users-view" aria-label="Users">
      <div className="toolbar">
        <button type="button" data-testid="user-add" onClick={() => open({ kind: 'add' })}>
          Add user…
        </button>
        {users ? <span className="count">{users.length === 1 ? '1 user' : `${users.length} users`}</span> : null}
        {polled.error ? <span className="error-text">Could not load the users: {polled.error}</span> : null}
      </div>
      {editor ? <UserEditor key={editorKey(editor)} editor={editor} projectId={projectId} onDone={done} onClose={() => setEditor(null)} /> : null}
      {answer ? (
        <p className="users-answer" role="status" data-testid="users-answer">
          {answer}
        </p>
      ) : null}
      <div className="panel users-panel">{users ? <UserTable users={users} self={self} onAction={(kind, user) => open({ kind, user })} /> : <p className="muted">Loading the users…</p>}</div>
    </section>
  );
}
