import { useState } from 'react';
import { openLogin, setSession, useAuth } from '../../stores/auth-store.js';
import { postJson } from '../../transport/http.js';
import { z } from 'zod';
import { PasswordDialog } from './password-dialog.js';

const SignedOut = z.object({ signedOut: z.literal(true) });

/** Who is signed in on this station and with which role; commands are recorded under this user. */
export function SessionField() {
  const session = useAuth((s) => s.session);
  // Kept per token: a dialog left open when the session ended does not come back at the next sign-in.
  const [changingFor, setChangingFor] = useState<string | null>(null);
  if (!session) {
    return (
      <span className="session-field">
        <span className="muted">Viewing only</span>
        <button type="button" data-testid="sign-in" onClick={() => openLogin('Sign in to acknowledge alarms, write values or change recipes.')}>
          Sign in
        </button>
      </span>
    );
  }
  const signOut = () => {
    // The token is forgotten here at once; telling the server (its deny list) is best effort.
    void postJson('/api/logout', {}, SignedOut).catch(() => undefined);
    setSession(null);
  };
  return (
    <span className="session-field" title={`Signed in until ${new Date(session.expiresAt).toLocaleTimeString()}`}>
      <strong data-testid="session-user">{session.user}</strong>
      <span className="muted" data-testid="session-role">
        {session.role}
      </span>
      <button type="button" data-testid="change-password" onClick={() => setChangingFor(session.token)}>
        Password…
      </button>
      <button type="button" data-testid="sign-out" onClick={signOut}>
        Sign out
      </button>
      {changingFor === session.token ? <PasswordDialog session={session} onClose={() => setChangingFor(null)} /> : null}
    </span>
  );
}
