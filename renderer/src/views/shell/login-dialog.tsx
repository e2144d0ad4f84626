import { useState, type FormEvent } from 'react';
import { LoginResponse } from '../../../../shared/protocol/api.js';
import { closeLogin, setSession, useAuth } from '../../stores/auth-store.js';
import { useProject } from '../../stores/project-store.js';
import { errorText, postJson } from '../../transport/http.js';

/** Asks for a user name and password when an action or the project's screens need a login. */
export function LoginDialog() {
  const reason = useAuth((s) => s.loginReason);
  const projectId = useProject((s) => s.projectId);
  const [user, setUser] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [sending, setSending] = useState(false);
  if (reason === null) return null;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSending(true);
    setError(null);
    try {
      const body = { user: user.trim(), password, ...(projectId ? { project: projectId } : {}) };
      setSession(await postJson('/api/login', body, LoginResponse));
      setPassword('');
    } catch (failure) {
      setError(errorText(failure));
    } finally {
      setSending(false);
    }
  };

  return (
    <div className="login-backdrop">
      <form className="login-dialog" role="dialog" aria-label="Sign in" data-testid="login-dialog" onSubmit={(event) => void submit(event)}>
        <h2>Sign in</h2>
        <p className="muted" data-testid="login-reason">
          {reason}
        </p>
        <label>
          User
          <input data-testid="login-user" value={user} autoFocus autoComplete="username" spellCheck={false} maxLength={60} onChange={(event) => setUser(event.target.value)} />
        </label>
        <label>
          Password
          <input data-testid="login-password" type="password" value={password} autoComplete="current-password" maxLength={200} onChange={(event) => setPassword(event.target.value)} />
        </label>
        {error ? (
          <p className="login-error" role="alert" data-testid="login-error">
            {error}
          </p>
        ) : null}
        <div className="login-buttons">
          <button type="submit" data-testid="login-submit" disabled={sending || user.trim() === '' || password === ''}>
            {sending ? 'Signing in…' : 'Sign in'}
          </button>
          <button type="button" onClick={closeLogin} disabled={sending}>
            Cancel
          </button>
        </div>
      </form>
    </div>
  );
}
