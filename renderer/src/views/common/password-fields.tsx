import type { PasswordPair } from './password-rules.js';

/**
 * A new password typed twice (checked with `passwordProblem` before it is sent). The browser is told
 * it is a new password, so it neither fills in a stored one nor offers the current one.
 */
export function PasswordFields({ value, onChange, label = 'New password' }: { value: PasswordPair; onChange: (value: PasswordPair) => void; label?: string }) {
  return (
    <>
      <label className="field">
        {label}
        <input type="password" data-testid="new-password" autoComplete="new-password" value={value.password} onChange={(event) => onChange({ ...value, password: event.target.value })} />
      </label>
      <label className="field">
        Again
        <input type="password" data-testid="new-password-again" autoComplete="new-password" value={value.repeated} onChange={(event) => onChange({ ...value, repeated: event.target.value })} />
      </label>
    </>
  );
}
