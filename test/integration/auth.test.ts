import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { CelResponse, CommandResponse, ErrorResponse, LoginResponse, MeResponse, UsersResponse } from '../../shared/protocol/api.js';
import { TokenSigner } from '../../electron/runtime/auth/token.js';
import { FAST_PROJECT } from '../support/fixtures.js';
import {
  ADMIN_PASSWORD,
  getJson,
  login,
  loginAdmin,
  postJson,
  removeDir,
  startRuntimeProcess,
  tempDir,
  userToken,
  waitFor,
  type RuntimeProcess,
} from '../support/runtime-process.js';

const started: RuntimeProcess[] = [];
const dirs: string[] = [];
let runtime: RuntimeProcess;
let api: string;
const tokens: Record<string, string> = {};
let requests = 0;
const requestId = () => `auth-test-${++requests}-${Date.now()}`;

async function start(options: Parameters<typeof startRuntimeProcess>[0]): Promise<RuntimeProcess> {
  const process = await startRuntimeProcess(options);
  started.push(process);
  return process;
}

beforeAll(async () => {
  runtime = await start({ args: ['--project', FAST_PROJECT, '--node', 'pc-auth'] });
  api = `${runtime.url}api/projects/fast`;
  tokens.admin = await loginAdmin(runtime.url);
  tokens.vera = await userToken(runtime.url, 'fast', 'vera', 'viewer');
  tokens.otto = await userToken(runtime.url, 'fast', 'otto', 'operator');
});

afterAll(async () => {
  for (const process of started) {
    await process.stop();
    removeDir(process.dataDir);
  }
  for (const dir of dirs) removeDir(dir);
});

/** Opens /ws (with `?access_token=` when given) and resolves with its first frame, or the refusal's status. */
function openWs(baseUrl: string, token?: string): Promise<{ ws: WebSocket; first: unknown } | { status: number; body: string }> {
  const url = `${baseUrl.replace(/^http/, 'ws')}ws${token === undefined ? '' : `?access_token=${encodeURIComponent(token)}`}`;
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    ws.once('message', (data) => resolve({ ws, first: JSON.parse(data.toString()) }));
    ws.once('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    ws.once('error', reject);
  });
}

describe('logins and who may do what (a real runtime)', () => {
  it('creates the first administrator from TANDEM_ADMIN_PASSWORD without printing it, and records it in the CEL', async () => {
    expect(runtime.output()).toContain('created the administrator "admin" with the password from TANDEM_ADMIN_PASSWORD');
    expect(runtime.output()).not.toContain(ADMIN_PASSWORD);
    const me = await getJson<MeResponse>(`${runtime.url}api/me`, tokens.admin);
    expect(me.body).toMatchObject({ user: 'admin', role: 'administrator', project: 'fast' });
    const cel = await getJson<CelResponse>(`${api}/cel?text=User%20admin`);
    expect(cel.body.entries.map((e) => [e.user, e.text])).toEqual([['system', 'User admin created as administrator']]);
  });

  it('keeps the token key owner-only (0600 in a 0700 folder, data folder 0700)', () => {
    expect(statSync(join(runtime.dataDir, 'secrets', 'token-key')).mode & 0o777).toBe(0o600);
    expect(statSync(join(runtime.dataDir, 'secrets')).mode & 0o777).toBe(0o700);
    expect(statSync(runtime.dataDir).mode & 0o777).toBe(0o700);
  });

  it('lets anyone view (viewWithoutLogin defaults to true) but refuses commands without a valid token: 401 naming what is missing', async () => {
    expect((await getJson(`${api}/tags`)).status).toBe(200);
    const body = { requestId: requestId() };
    const none = await postJson<ErrorResponse>(`${api}/alarms/Trip.Active/ack`, body);
    expect(none.status).toBe(401);
    expect(none.body.error.message).toMatch(/needs a login as operator or higher/);
    const garbage = await postJson<ErrorResponse>(`${api}/alarms/Trip.Active/ack`, body, 'not-a-token');
    expect(garbage.status).toBe(401);
    expect(garbage.body.error.message).toMatch(/malformed/);
    const foreign = new TokenSigner(Buffer.alloc(32, 7)).issue('admin', 'fast', Date.now()).token;
    const wrongKey = await postJson<ErrorResponse>(`${api}/alarms/Trip.Active/ack`, body, foreign);
    expect(wrongKey.status).toBe(401);
    expect(wrongKey.body.error.message).toMatch(/wrong signature/);
    // Signed with this node's own key, but issued a shift and a bit ago.
    const key = readFileSync(join(runtime.dataDir, 'secrets', 'token-key'));
    const old = new TokenSigner(key).issue('otto', 'fast', Date.now() - 9 * 3_600_000).token;
    const expired = await postJson<ErrorResponse>(`${api}/alarms/Trip.Active/ack`, body, old);
    expect(expired.status).toBe(401);
    expect(expired.body.error.message).toMatch(/expired/);
    expect((await getJson(`${runtime.url}api/me`)).status).toBe(401);
  });

  it('refuses a role too low with 403 naming the role needed: a viewer cannot acknowledge, an operator cannot write or list users', async () => {
    await waitFor(async () => (await getJson<{ alarms: Array<{ alarmId: string }> }>(`${api}/alarms`)).body.alarms.find((a) => a.alarmId === 'Trip.Active'));
    const byViewer = await postJson<ErrorResponse>(`${api}/alarms/Trip.Active/ack`, { requestId: requestId() }, tokens.vera);
    expect(byViewer.status).toBe(403);
    expect(byViewer.body.error).toMatchObject({ code: 'forbidden', message: 'this needs the role operator or higher; vera is viewer' });
    const write = await postJson<ErrorResponse>(`${api}/tags/Test.Setpoint/write`, { requestId: requestId(), value: 50 }, tokens.otto);
    expect(write.status).toBe(403);
    expect(write.body.error.message).toMatch(/engineer or higher; otto is operator/);
    expect((await getJson<ErrorResponse>(`${api}/users`, tokens.otto)).status).toBe(403);
    expect(runtime.output()).toMatch(/refused POST \/api\/projects\/fast\/alarms\/Trip.Active\/ack from 127\.0\.0\.1: 403/);
  });

  it('records the signed-in user in the CEL, and refuses a body that names someone else', async () => {
    const other = await postJson<ErrorResponse>(`${api}/alarms/Trip.Active/ack`, { requestId: requestId(), user: 'mallory' }, tokens.otto);
    expect(other.status).toBe(403);
    expect(other.body.error.message).toMatch(/signed in as "otto"/);
    const ack = await postJson<CommandResponse>(`${api}/alarms/Trip.Active/ack`, { requestId: requestId() }, tokens.otto);
    expect(ack.status).toBe(200);
    expect(ack.body.alarms[0]).toMatchObject({ alarmId: 'Trip.Active', ackUser: 'otto' });
    const cel = await getJson<CelResponse>(`${api}/cel?kind=operator&text=Trip.Active`);
    expect(cel.body.entries[0]).toMatchObject({ user: 'otto', alarmId: 'Trip.Active' });
  });

  it('lists users for administrators without their password hashes; the CEL names who changed a user', async () => {
    const list = await getJson<UsersResponse>(`${api}/users`, tokens.admin);
    expect(list.body.users.map((u) => [u.name, u.role])).toEqual([['admin', 'administrator'], ['otto', 'operator'], ['vera', 'viewer']]);
    expect(JSON.stringify(list.body)).not.toMatch(/scrypt/);
    const cel = await getJson<CelResponse>(`${api}/cel?text=User%20vera`);
    expect(cel.body.entries.map((e) => [e.user, e.text])).toEqual([['admin', 'User vera created as viewer']]);
    expect(JSON.stringify(cel.body)).not.toMatch(/scrypt|vera-password/);
    const weak = await postJson<ErrorResponse>(`${api}/users`, { requestId: requestId(), name: 'weak', role: 'viewer', password: 'short' }, tokens.admin);
    expect(weak.status).toBe(400);
    expect(weak.body.error.message).toMatch(/at least 8 characters/);
  });

  it('changes a role at once, changes passwords, and signs a token out', async () => {
    const promote = await postJson(`${api}/users`, { requestId: requestId(), name: 'vera', role: 'operator' }, tokens.admin);
    expect(promote.status).toBe(200);
    expect((await getJson<MeResponse>(`${runtime.url}api/me`, tokens.vera)).body.role).toBe('operator');

    const path = `${api}/users/vera/password`;
    const withoutCurrent = await postJson<ErrorResponse>(path, { requestId: requestId(), password: 'a-new-password' }, tokens.vera);
    expect(withoutCurrent.status).toBe(403);
    expect(withoutCurrent.body.error.message).toMatch(/^the current password is missing/);
    const wrongCurrent = await postJson<ErrorResponse>(path, { requestId: requestId(), password: 'a-new-password', currentPassword: 'not-her-password' }, tokens.vera);
    expect(wrongCurrent.status).toBe(403);
    expect(wrongCurrent.body.error.message).toMatch(/^the current password is wrong/);
    const changed = await postJson(path, { requestId: requestId(), password: 'a-new-password', currentPassword: 'vera-password' }, tokens.vera);
    expect(changed.status).toBe(200);
    expect((await postJson(`${runtime.url}api/login`, { user: 'vera', password: 'vera-password' })).status).toBe(401);
    const fresh = await login(runtime.url, 'vera', 'a-new-password');
    const byOperator = await postJson<ErrorResponse>(`${api}/users/otto/password`, { requestId: requestId(), password: 'otto-new-password' }, fresh);
    expect(byOperator.status).toBe(403);

    expect((await postJson(`${runtime.url}api/logout`, {}, fresh)).status).toBe(200);
    const after = await getJson<ErrorResponse>(`${runtime.url}api/me`, fresh);
    expect(after.status).toBe(401);
    expect(after.body.error.message).toMatch(/signed out/);
  });

  it('refuses a user change made from a version that is no longer current (409), so adding never overwrites a user', async () => {
    const save = (body: object) => postJson<ErrorResponse>(`${api}/users`, { requestId: requestId(), ...body }, tokens.admin);
    expect((await save({ name: 'nina', role: 'operator', password: 'nina-password', baseVersion: 0 })).status).toBe(200);
    const again = await save({ name: 'nina', role: 'administrator', password: 'other-password', baseVersion: 0 });
    expect(again.status).toBe(409);
    expect(again.body.error).toMatchObject({ code: 'conflict', message: 'user "nina" exists already (version 1, last changed by admin): choose another name, or change that user in the list' });
    expect((await save({ name: 'nina', role: 'viewer', baseVersion: 1 })).status).toBe(200);
    const stale = await save({ name: 'nina', role: 'engineer', baseVersion: 1 });
    expect(stale.status).toBe(409);
    expect(stale.body.error.message).toBe('user "nina" was changed to version 2 by admin since you read version 1: reload the users and try again');
    const list = await getJson<UsersResponse>(`${api}/users`, tokens.admin);
    expect(list.body.users.find((u) => u.name === 'nina')).toMatchObject({ role: 'viewer', version: 2, by: 'admin' });
    // The refused attempt did not set its password; without baseVersion a change is taken as before.
    const nina = await login(runtime.url, 'nina', 'nina-password');
    expect((await getJson<MeResponse>(`${runtime.url}api/me`, nina)).body.role).toBe('viewer');
    expect((await save({ name: 'nina', role: 'operator' })).status).toBe(200);
  });

  it('refuses any change that would leave the project without an enabled administrator (409 saying what to do first)', async () => {
    const save = (body: object, token = tokens.admin) => postJson<ErrorResponse>(`${api}/users`, { requestId: requestId(), ...body }, token);
    const demote = await save({ name: 'admin', role: 'engineer' });
    expect(demote.status).toBe(409);
    expect(demote.body.error).toEqual({ code: 'conflict', message: 'user "admin" is the last enabled administrator of project "fast" and cannot become engineer: make another user administrator first' });
    const disable = await save({ name: 'admin', role: 'administrator', disabled: true });
    expect(disable.status).toBe(409);
    expect(disable.body.error.message).toMatch(/^user "admin" is the last enabled administrator of project "fast" and cannot be disabled/);
    expect((await getJson<MeResponse>(`${runtime.url}api/me`, tokens.admin)).body.role).toBe('administrator');

    // With a second administrator, admin may step down, and be made administrator again by her.
    const ada = await userToken(runtime.url, 'fast', 'ada', 'administrator');
    expect((await save({ name: 'admin', role: 'engineer' })).status).toBe(200);
    expect((await save({ name: 'admin', role: 'administrator' }, ada)).status).toBe(200);
    // A disabled administrator does not count: admin is the last enabled one again.
    expect((await save({ name: 'ada', role: 'administrator', disabled: true })).status).toBe(200);
    expect((await save({ name: 'admin', role: 'viewer' })).status).toBe(409);
    const cel = await getJson<CelResponse>(`${api}/cel?text=User%20admin`);
    expect(cel.body.entries.map((e) => [e.user, e.text])).toEqual([
      ['ada', 'User admin: role engineer → administrator'],
      ['admin', 'User admin: role administrator → engineer'],
      ['system', 'User admin created as administrator'],
    ]);
  });

  it('refuses a WebSocket with a wrong token (401), and takes one without a token where viewing needs no login', async () => {
    const wrong = await openWs(runtime.url, 'not-a-token');
    expect(wrong).toMatchObject({ status: 401 });
    const anonymous = await openWs(runtime.url);
    expect('first' in anonymous && anonymous.first).toMatchObject({ type: 'welcome' });
    if ('ws' in anonymous) anonymous.ws.close();
  });
});

describe('a project whose access.viewWithoutLogin is false', () => {
  let closed: RuntimeProcess;
  let viewer: string;

  beforeAll(async () => {
    const dir = tempDir('tandem-auth-closed-');
    dirs.push(dir);
    const project = JSON.parse(readFileSync(FAST_PROJECT, 'utf8')) as Record<string, unknown>;
    const file = join(dir, 'closed.json');
    writeFileSync(file, JSON.stringify({ ...project, access: { viewWithoutLogin: false } }));
    closed = await start({ args: ['--project', file, '--node', 'pc-closed'] });
    viewer = await userToken(closed.url, 'fast', 'vic', 'viewer');
  });

  it('needs a viewer token for GET routes and /ws', async () => {
    const tags = await getJson<ErrorResponse>(`${closed.url}api/projects/fast/tags`);
    expect(tags.status).toBe(401);
    expect(tags.body.error.message).toMatch(/viewWithoutLogin is false/);
    expect((await getJson(`${closed.url}api/projects/fast/tags`, viewer)).status).toBe(200);
    expect(await openWs(closed.url)).toMatchObject({ status: 401 });
    const opened = await openWs(closed.url, viewer);
    if (!('ws' in opened)) throw new Error(`the viewer's WebSocket was refused: ${opened.status}`);
    opened.ws.send(JSON.stringify({ type: 'subscribe', project: 'fast' }));
    const snapshot = await new Promise<{ type: string }>((resolve) => opened.ws.on('message', (data) => {
      const frame = JSON.parse(data.toString()) as { type: string };
      if (frame.type === 'snapshot') resolve(frame);
    }));
    expect(snapshot.type).toBe('snapshot');
    opened.ws.close();
  });

  it('rate-limits logins: a brute-force loop is refused (429 with retry-after) after 5 failures and keeps refusing', async () => {
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let attempt = 0; attempt < 8; attempt++) {
      const res = await fetch(`${closed.url}api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ user: 'admin', password: `guess-${attempt}` }) });
      statuses.push(res.status);
      retryAfter ??= res.headers.get('retry-after');
    }
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429, 429]);
    expect(Number(retryAfter)).toBeGreaterThan(0);
    // The right password does not get through either, nor another user from the same address.
    expect((await postJson(`${closed.url}api/login`, { user: 'admin', password: ADMIN_PASSWORD })).status).toBe(429);
    expect((await postJson(`${closed.url}api/login`, { user: 'vic', password: 'vic-password' })).status).toBe(429);
    expect(closed.output()).toMatch(/login refused for "admin" from 127\.0\.0\.1: too many wrong passwords/);
  });
});

describe('guessing in parallel', () => {
  it('counts guesses sent all at once before checking them: 40 at once get 5 answers, the rest 429', async () => {
    const node = await start({ args: ['--project', FAST_PROJECT, '--node', 'pc-parallel'] });
    await loginAdmin(node.url);
    const guess = (i: number) => fetch(`${node.url}api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ user: 'admin', password: `parallel-guess-${i}` }) });
    const statuses = (await Promise.all(Array.from({ length: 40 }, (_, i) => guess(i)))).map((res) => res.status);
    expect(statuses.filter((status) => status === 401)).toHaveLength(5);
    expect(statuses.filter((status) => status === 429)).toHaveLength(35);
  });
});

describe('guessing the current password to change it', () => {
  it('is refused like a login after 5 wrong passwords (429 with retry-after), sharing the budget with logins', async () => {
    const guessed = await start({ args: ['--project', FAST_PROJECT, '--node', 'pc-guess'] });
    const gus = await userToken(guessed.url, 'fast', 'gus', 'operator');
    const path = `${guessed.url}api/projects/fast/users/gus/password`;
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let attempt = 0; attempt < 8; attempt++) {
      const body = JSON.stringify({ requestId: requestId(), password: 'gus-new-password', currentPassword: `guess-${attempt}` });
      const res = await fetch(path, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${gus}` }, body });
      statuses.push(res.status);
      retryAfter ??= res.headers.get('retry-after');
    }
    expect(statuses).toEqual([403, 403, 403, 403, 403, 429, 429, 429]);
    expect(Number(retryAfter)).toBeGreaterThan(0);
    // The right current password does not get through either, nor a login as gus.
    const right = await postJson<ErrorResponse>(path, { requestId: requestId(), password: 'gus-new-password', currentPassword: 'gus-password' }, gus);
    expect(right.status).toBe(429);
    expect(right.body.error.message).toMatch(/^too many wrong passwords for this user or from this address \(failed logins and password changes count together\); try again in \d+ s$/);
    expect((await postJson(`${guessed.url}api/login`, { user: 'gus', password: 'gus-password' })).status).toBe(429);
    expect(guessed.output()).toMatch(/wrong current password for "gus" of project "fast" from 127\.0\.0\.1/);
    expect(guessed.output()).toMatch(/password change refused for "gus" from 127\.0\.0\.1: too many wrong passwords, next try in \d+ s/);
  });
});

describe('the first administrator without TANDEM_ADMIN_PASSWORD', () => {
  it('gets a generated password printed once, at the first start only', async () => {
    const dataDir = tempDir('tandem-auth-generated-');
    dirs.push(dataDir);
    const args = ['--project', FAST_PROJECT, '--node', 'pc-gen'];
    const first = await startRuntimeProcess({ dataDir, args, env: { TANDEM_ADMIN_PASSWORD: undefined } });
    const line = await waitFor(() => /created the administrator "admin" with the password (\S+) \(shown only this once/.exec(first.output()) ?? undefined, 20_000, 'the printed password');
    const password = line[1]!;
    expect(password.length).toBeGreaterThanOrEqual(20);
    const signedIn = await postJson<LoginResponse>(`${first.url}api/login`, { user: 'admin', password });
    expect(signedIn.body).toMatchObject({ user: 'admin', role: 'administrator' });
    expect(await first.stop()).toBe(0);

    const second = await startRuntimeProcess({ dataDir, args, env: { TANDEM_ADMIN_PASSWORD: undefined } });
    try {
      expect((await postJson(`${second.url}api/login`, { user: 'admin', password })).status).toBe(200);
      expect(second.output()).not.toMatch(/created the administrator/);
    } finally {
      await second.stop();
    }
  });
});
