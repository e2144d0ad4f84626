import { useState, type FormEvent } from 'react';
import type { Session } from '../../stores/auth-store.js';
import { projectPath } from '../../transport/project-path.js';
import { newRequestId } from '../../transport/request-id.js';
import { submitCommand } from '../../transport/submit-command.js';
import { PasswordFields } from '../common/password-fields.js';
import { NO_PASSWORD, passwordProblem } from '../common/password-rules.js';

/**
 * The signed-in user changes their own password, giving the current one (the server checks it, so a
 * station left signed in cannot be used to take the account over). The session goes on: tokens
 * already issued stay valid (auth/DESIGN.md).
 */
export function PasswordDialog({ session, onClose }: { session: Session; onClose: () => void }) {
  const [current, setCurrent] = useState('');
  const [pair, setPair] = useState(NO_PASSWORD);
  const [error, setError] = useState<string | null>(null);
  const [sending, setSending] = useState(false);
  const [changed, setChanged] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const problem = passwordProblem(pair);
    if (problem) return setError(problem);
    setSending(true);
    setError(null);
    const path = `${projectPath(session.project)}/users/${encodeURIComponent(session.user)}/password`;
    const outcome = await submitCommand('Changing your password', path, { requestId: newRequestId(), password: pair.password, currentPassword: current });
    setSending(false);
    if (outcome.ok) setChanged(true);
    else setError(outcome.error);
  };

  return (
    <div className="login-backdrop">
      <form
        className="login-dialog"
        role="dialog"
        aria-label="Change your password"
        data-testid="password-dialog"
        onSubmit={(event) => void submit(event)}
        onKeyDown={(event) => {
          if (event.key === 'Escape' && !sending) onClose();
        }}
      >
        <h2>Change your password</h2>
        {changed ? (
          <p role="status" data-testid="password-changed">
            Your password is changed: use it at your next sign-in. This station stays signed in as {session.user}.
          </p>
        ) : (
          <>
            <p className="muted">Signed in as {session.user}.</p>
            <label>
              Current password
              <input type="password" data-testid="current-password" autoComplete="current-password" autoFocus value={current} onChange={(event) => setCurrent(event.target.value)} />
            </label>
            <PasswordFields value={pair} onChange={setPair} />
            {error ? (
              <p className="login-error" role="alert" data-testid="password-error">
                {error}
              </p>
            ) : null}
          </>
        )}
        <div className="login-buttons">
          {changed ? null : (
            <button type="submit" data-testid="password-submit" disabled={sending || current === ''}>
              {sending ? 'Changing…' : 'Change password'}
            </button>
          )}
          <button type="button" data-testid="password-close" disabled={sending} onClick={onClose}>
            {changed ? 'Close' : 'Cancel'}
          </button>
        </div>
      </form>
    </div>
  );
}
