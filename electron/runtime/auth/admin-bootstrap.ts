import { randomBytes } from 'node:crypto';
import type { ProjectHost } from '../host/project-host.js';
import { log } from '../log.js';
import { hashPassword } from './password-hash.js';

export const ADMIN_USER = 'admin';
/** One request id for every node and start: the pair creates the first administrator once. */
const BOOTSTRAP_REQUEST_ID = 'bootstrap-admin';
const CHECK_MS = 100;

export interface BootstrapOptions {
  /** TANDEM_ADMIN_PASSWORD; without it a strong password is generated and printed once. */
  password: string | undefined;
  print(line: string): void;
}

/**
 * A project without users gets `admin` (administrator) from the node that serves it: with the
 * password from TANDEM_ADMIN_PASSWORD, or a generated one printed once. The Standby learns the user
 * by replication; the fixed request id makes a second attempt (a retry, the other node after a
 * switchover) a no-op, so the pair never creates two. Returns a function that stops the checks.
 */
export function startAdminBootstrap(host: ProjectHost, options: BootstrapOptions): () => void {
  let busy = false;
  const check = () => {
    if (busy || host.users().length > 0 || (host.role() !== 'server' && host.role() !== 'standalone')) return;
    busy = true;
    createAdmin(host, options)
      .catch((error: unknown) => log('warn', `project ${host.project.id}: could not create the first administrator yet: ${String(error)}`))
      .finally(() => (busy = false));
  };
  const timer = setInterval(check, CHECK_MS);
  check();
  return () => clearInterval(timer);
}

async function createAdmin(host: ProjectHost, options: BootstrapOptions): Promise<void> {
  const generated = options.password === undefined || options.password === '';
  const password = generated ? randomBytes(18).toString('base64url') : options.password!;
  const passwordHash = await hashPassword(password);
  const reply = await host.command({
    requestId: BOOTSTRAP_REQUEST_ID,
    user: 'system',
    command: { kind: 'user', name: ADMIN_USER, role: 'administrator', passwordHash, disabled: false, comment: 'first administrator' },
  });
  // Printed when this attempt's hash is the one logged, even if the Standby's confirmation timed out.
  if (host.user(ADMIN_USER)?.passwordHash !== passwordHash) {
    if (!reply.ok) throw new Error(reply.message);
    return;
  }
  const source = generated ? `the password ${password} (shown only this once: sign in and change it)` : 'the password from TANDEM_ADMIN_PASSWORD';
  options.print(`Tandem: project "${host.project.id}": created the administrator "${ADMIN_USER}" with ${source}`);
}
