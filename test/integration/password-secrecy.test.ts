import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ErrorResponse } from '../../shared/protocol/api.js';
import { FAST_PROJECT } from '../support/fixtures.js';
import { loginAdmin, postJson, removeDir, startRuntimeProcess, userToken, waitFor, type RuntimeProcess } from '../support/runtime-process.js';

/**
 * A refused password must not come back in the answer nor reach the log (both are read by people
 * who must not learn it), whatever is wrong with it and on whichever route it is sent.
 */
let runtime: RuntimeProcess;
let adminToken: string;
let olgaToken: string;
let requests = 0;
const requestId = () => `secrecy-test-${++requests}`;

beforeAll(async () => {
  // At debug level, so a log line anywhere in the runtime would show here.
  runtime = await startRuntimeProcess({ args: ['--project', FAST_PROJECT, '--node', 'pc-secrecy'], env: { TANDEM_LOG_LEVEL: 'debug' } });
  adminToken = await loginAdmin(runtime.url);
  olgaToken = await userToken(runtime.url, 'fast', 'olga', 'operator');
});

afterAll(async () => {
  await runtime.stop();
  removeDir(runtime.dataDir);
});

/** What a test sends in a password field, and what of it would give the password away if it showed. */
interface BadPassword {
  what: string;
  value: unknown;
  /** A zod message shows at most 57 characters of a value: the distinctive start is enough to find an echo. */
  revealing: string;
}

const badPasswords = (route: string): BadPassword[] => [
  { what: 'too short', value: `Zq7!${route.slice(0, 3)}`, revealing: `Zq7!${route.slice(0, 3)}` },
  { what: 'too long', value: `long-probe-${route}-${'y'.repeat(200)}`, revealing: `long-probe-${route}` },
  { what: 'a number', value: 8675309271 + route.length, revealing: String(8675309271 + route.length) },
  { what: 'an array', value: [`array-probe-${route}`], revealing: `array-probe-${route}` },
];

describe('passwords the API refuses (a real runtime logging at debug level)', () => {
  const sent: string[] = [];

  async function refused(path: string, body: unknown, token: string | undefined, revealing: string): Promise<ErrorResponse['error']> {
    sent.push(revealing);
    const res = await postJson<ErrorResponse>(`${runtime.url}api${path}`, body, token);
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body)).not.toContain(revealing);
    return res.body.error;
  }

  it('names the field and the rule on the login, without the value sent', async () => {
    for (const bad of badPasswords('login').filter((b) => b.what !== 'too short')) {
      const error = await refused('/login', { user: 'olga', password: bad.value }, undefined, bad.revealing);
      expect(error.message, bad.what).toMatch(/^invalid body: password: /);
    }
    // The login's "too short" is the empty password: nothing to leak, refused all the same.
    const empty = await postJson<ErrorResponse>(`${runtime.url}api/login`, { user: 'olga', password: '' });
    expect(empty.status).toBe(400);
    expect(empty.body.error.message).toMatch(/^invalid body: password: /);
    const broken = await refused('/login', '{"user": "olga", "password": unquoted-probe-login}', undefined, 'unquoted-probe-login');
    expect(broken.message).toBe('the request body is not valid JSON: Unexpected token');
  });

  it('names the field and the rule when an administrator saves a user, without the value sent', async () => {
    const messages: string[] = [];
    for (const bad of badPasswords('save')) {
      const body = { requestId: requestId(), name: 'pia', role: 'viewer', password: bad.value };
      messages.push((await refused('/projects/fast/users', body, adminToken, bad.revealing)).message);
    }
    expect(messages).toEqual([
      'invalid body: password: a password needs at least 8 characters',
      'invalid body: password: a password may have at most 200 characters',
      'invalid body: password: Invalid input: expected string, received number',
      // zod checks the length of an array too.
      'invalid body: password: Invalid input: expected string, received array; password: a password needs at least 8 characters',
    ]);
  });

  it('names the field and the rule when a password is changed, new or current, without the value sent', async () => {
    const path = '/projects/fast/users/olga/password';
    for (const bad of badPasswords('new')) {
      const own = await refused(path, { requestId: requestId(), password: bad.value, currentPassword: 'olga-password' }, olgaToken, bad.revealing);
      expect(own.message, bad.what).toMatch(/^invalid body: password: /);
      const byAdmin = await refused(path, { requestId: requestId(), password: bad.value }, adminToken, bad.revealing);
      expect(byAdmin.message, bad.what).toMatch(/^invalid body: password: /);
    }
    for (const bad of badPasswords('current').filter((b) => b.what !== 'too short')) {
      const error = await refused(path, { requestId: requestId(), password: 'olga-new-password', currentPassword: bad.value }, olgaToken, bad.revealing);
      expect(error.message, bad.what).toMatch(/^invalid body: currentPassword: /);
    }
    // A wrong current password of the right form is a guess: refused (403) and logged, by user name only.
    const guess = await postJson<ErrorResponse>(`${runtime.url}api${path}`, { requestId: requestId(), password: 'olga-new-password', currentPassword: 'wrong-current-probe' }, olgaToken);
    // Olga's real password went along as the current one with each refused new password above.
    sent.push('wrong-current-probe', 'olga-new-password', 'olga-password');
    expect(guess.status).toBe(403);
    expect(JSON.stringify(guess.body)).not.toContain('wrong-current-probe');
  });

  it('writes none of the refused values to stdout or stderr', async () => {
    await waitFor(() => (runtime.output().includes('wrong current password for "olga"') ? true : undefined), 5_000, 'the log line of the wrong current password');
    const output = runtime.output();
    expect(sent.length).toBeGreaterThan(20);
    expect(sent.filter((value) => output.includes(value))).toEqual([]);
  });
});
