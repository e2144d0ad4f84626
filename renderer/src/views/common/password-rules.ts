import { Password } from '../../../../shared/protocol/api.js';

/** A new password as typed twice. */
export interface PasswordPair {
  password: string;
  repeated: string;
}

export const NO_PASSWORD: PasswordPair = { password: '', repeated: '' };

/**
 * What is wrong with a new password typed twice, or null. The rule is the server's own schema, so
 * the station says the same as the server would, before the password travels at all.
 */
export function passwordProblem({ password, repeated }: PasswordPair): string | null {
  const checked = Password.safeParse(password);
  if (!checked.success) return `${sentence(checked.error.issues[0]?.message ?? 'the password is not allowed')} (this one has ${password.length}).`;
  if (password !== repeated) return 'The two passwords differ: type the same new password in both fields.';
  return null;
}

function sentence(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
