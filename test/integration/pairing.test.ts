import { rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CelResponse, CommandResponse, ErrorResponse } from '../../shared/protocol/api.js';
import type { DiscoveryResponse, UnpairResponse } from '../../shared/protocol/pairing.js';
import { acceptWith, addressOf, adminToken, fingerprintOf, otherCode, pairingOf, persistedCluster, projectStatus, secureUrl, startPairing, startPairingNode } from '../support/pairing.js';
import { startTlsInterceptor } from '../support/tls-intercept.js';
import { freePorts, getJson, postJson, removeDir, startRuntimeProcess, tempDir, userToken, waitFor, type RuntimeProcess } from '../support/runtime-process.js';

const dir = tempDir('tandem-pairing-');
const started: RuntimeProcess[] = [];
let discoveryPort = 0;
let a: RuntimeProcess;
let b: RuntimeProcess;
/** Its codes expire after 1.5 s. */
let c: RuntimeProcess;

async function start(node: string, env: Record<string, string> = {}): Promise<RuntimeProcess> {
  const runtime = await startPairingNode(node, join(dir, node), discoveryPort, env);
  started.push(runtime);
  return runtime;
}

/** In no pair, with no cluster document on disk. */
async function expectStandalone(runtime: RuntimeProcess): Promise<void> {
  expect((await pairingOf(runtime)).pair).toBeNull();
  expect(persistedCluster(runtime)).toBeNull();
  expect((await projectStatus(runtime)).role).toBe('standalone');
}

/** Standalone as it was: no request waiting and no attempt that paired. */
async function expectUnchanged(runtime: RuntimeProcess): Promise<void> {
  await expectStandalone(runtime);
  const pairing = await pairingOf(runtime);
  expect(pairing.incoming).toEqual([]);
  expect(pairing.outgoing?.state ?? 'none').not.toBe('paired');
}

beforeAll(async () => {
  discoveryPort = (await freePorts(1))[0]!;
  [a, b, c] = await Promise.all([start('pc-a'), start('pc-b'), start('pc-c', { TANDEM_PAIRING_CODE_TTL_MS: '1500' })]);
});

afterAll(async () => {
  for (const runtime of started) expect([0, null]).toContain(await runtime.stop());
  removeDir(dir);
});

describe('pairing two standalone nodes by API, as real processes on loopback', () => {
  it('finds the other nodes on the discovery port', async () => {
    const { body } = await getJson<DiscoveryResponse>(`${a.url}api/pairing/discovery`, await adminToken(a));
    expect(body.nodes.map((n) => [n.node, n.url, n.cluster])).toEqual([
      ['pc-b', secureUrl(b), null],
      ['pc-c', secureUrl(c), null],
    ]);
  });

  it('an unreachable address says what to check and changes nothing', async () => {
    const [closedPort] = await freePorts(1);
    const answer = await startPairing(a, `127.0.0.1:${closedPort}`);
    expect(answer.status).toBe(502);
    expect(answer.body.error.message).toMatch(/nothing answers at that address and port; check that Tandem runs on that PC/);
    expect((await pairingOf(a)).outgoing).toBeNull();
    await expectUnchanged(a);
  });

  it('a wrong code voids the attempt on both nodes and changes nothing', async () => {
    const attempt = await startPairing(a, addressOf(b));
    expect(attempt.status).toBe(200);
    expect(attempt.body).toMatchObject({ state: 'waitingForCode', peer: { node: 'pc-b', url: secureUrl(b) } });
    const wrong = await acceptWith(b, otherCode(attempt.body.code!));
    expect(wrong.status).toBe(403);
    expect(wrong.body.error).toMatchObject({ code: 'wrongCode' });
    expect(wrong.body.error.message).toMatch(/does not match the one shown on pc-a\. For safety this request is now void: on pc-a, start the pairing again/);
    // The right code cannot be tried after a wrong one: the request is gone.
    expect((await pairingOf(b)).incoming).toEqual([]);
    expect((await pairingOf(a)).outgoing).toMatchObject({ state: 'failed', code: null, message: expect.stringMatching(/The code typed on pc-b was wrong/) });
    await expectUnchanged(a);
    await expectUnchanged(b);
  });

  it('an expired code is refused with what to do, and changes nothing', async () => {
    const attempt = await startPairing(c, addressOf(b));
    expect(attempt.status).toBe(200);
    await waitFor(() => (Date.now() > attempt.body.expiresAt + 100 ? true : undefined), 10_000, 'the code to expire');
    const late = await acceptWith(b, attempt.body.code!);
    expect(late.status).toBe(410);
    expect(late.body.error.message).toMatch(/The code has expired .* On pc-c, start the pairing again and type the new code here\. Nothing was changed\./);
    expect((await pairingOf(c)).outgoing).toMatchObject({ state: 'expired', code: null });
    await expectUnchanged(b);
    await expectUnchanged(c);
  });

  it('stops when a device between the PCs answers TLS for one of them, and changes nothing', async () => {
    const interceptor = await startTlsInterceptor({ host: '127.0.0.1', port: Number(new URL(b.url).port) });
    try {
      const attempt = await startPairing(a, interceptor.address);
      expect(attempt.status).toBe(200);
      // The code is right and the protocol passes the device unchanged; the certificates give it away.
      const accepted = await acceptWith(b, attempt.body.code!);
      expect(accepted.status).toBe(502);
      expect(accepted.body.error.message).toMatch(/the certificate pc-a saw for pc-b is not the one pc-b has: something between the two PCs intercepts their TLS connections.*Nothing was changed/);
      expect((await pairingOf(a)).outgoing).toMatchObject({ state: 'failed' });
      await expectUnchanged(a);
      await expectUnchanged(b);
    } finally {
      await interceptor.stop();
    }
  });

  it('pairs without a restart: the same cluster document on both, Server and Standby, replicating', async () => {
    const attempt = await startPairing(a, addressOf(b));
    const accepted = await acceptWith(b, attempt.body.code!);
    expect(accepted.status).toBe(200);
    expect(accepted.body).toMatchObject({ project: 'fast', server: 'pc-a', standby: 'pc-b' });
    expect((await pairingOf(a)).outgoing).toMatchObject({ state: 'paired', message: 'pc-b is now the Standby of fast; this PC is its Server.' });

    const document = persistedCluster(a);
    expect(document).not.toBeNull();
    expect(persistedCluster(b)).toBe(document);
    const cluster = JSON.parse(document!) as { cluster: string; secret: string; nodes: Record<string, string>; fingerprints: Record<string, string> };
    expect(cluster).toMatchObject({ cluster: accepted.body.cluster, nodes: { 'pc-a': secureUrl(a), 'pc-b': secureUrl(b) }, projects: [{ id: 'fast', server: 'pc-a', standby: 'pc-b' }] });
    // Each node's certificate is pinned: the peer link runs over TLS with exactly these.
    expect(cluster.fingerprints).toEqual({ 'pc-a': fingerprintOf(a), 'pc-b': fingerprintOf(b) });
    expect((await projectStatus(b)).nodes).toEqual([
      { node: 'pc-a', url: secureUrl(a), fingerprint: fingerprintOf(a) },
      { node: 'pc-b', url: secureUrl(b), fingerprint: fingerprintOf(b) },
    ]);
    expect(cluster.secret.length).toBeGreaterThanOrEqual(32);
    expect(statSync(join(a.dataDir, 'cluster.json')).mode & 0o777).toBe(0o600);
    expect(a.output()).not.toContain(cluster.secret);

    await waitFor(async () => ((await projectStatus(a)).role === 'server' && (await projectStatus(b)).role === 'standby' ? true : undefined), 20_000, 'pc-a Server, pc-b Standby');
    await waitFor(async () => ((await projectStatus(a)).degraded ? undefined : true), 10_000, 'redundancy not degraded on pc-a');
    const ines = await userToken(a.url, 'fast', 'ines', 'operator');
    const ack = await postJson<CommandResponse>(`${a.url}api/projects/fast/alarms/Trip.Active/ack`, { requestId: 'pairing-ack-1' }, ines);
    expect(ack.body).toMatchObject({ applied: true, degraded: false });
    expect((await getJson<CelResponse>(`${b.url}api/projects/fast/cel?kind=operator&text=acknowledged%20by%20ines`)).body.entries).toHaveLength(1);
    await equalStateHashes(a, b);
    // The same processes: nothing was restarted.
    expect([a.child.exitCode, b.child.exitCode]).toEqual([null, null]);
  });

  it('a node already in a pair refuses another, saying which, and nothing changes', async () => {
    const refused = await startPairing(c, addressOf(b));
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toMatch(/pc-b is already in cluster pair-[0-9a-f]{8} \(paired with pc-a\); unpair it there first, or pick another PC/);
    await expectUnchanged(c);
    const fromPaired = await startPairing(a, addressOf(c));
    expect(fromPaired.status).toBe(409);
    expect(fromPaired.body.error.message).toMatch(/pc-a is already in cluster .*unpair it first, or use "Replace Standby"/);
    expect((await projectStatus(b)).role).toBe('standby');
  });

  it('a paired node started again without --cluster runs its pair from the data folder', async () => {
    expect(await b.stop()).toBe(0);
    // `--port 0` (any port) is what the desktop shell passes: a paired node takes its pair's port.
    b = await startRuntimeProcess({ dataDir: b.dataDir, args: ['--node', 'pc-b', '--discovery-port', String(discoveryPort)] });
    started.push(b);
    expect(secureUrl(b)).toBe(JSON.parse(persistedCluster(b)!).nodes['pc-b']);
    await waitFor(async () => ((await projectStatus(b)).role === 'standby' ? true : undefined), 20_000, 'pc-b Standby again');
    await equalStateHashes(a, b);
  });

  it('a Standby whose certificate was made anew is refused by its Server, which says why in its status', async () => {
    expect(await b.stop()).toBe(0);
    rmSync(join(b.dataDir, 'tls-certificate.pem'));
    rmSync(join(b.dataDir, 'secrets', 'tls-key.pem'));
    b = await startRuntimeProcess({ dataDir: b.dataDir, args: ['--node', 'pc-b', '--discovery-port', String(discoveryPort)] });
    started.push(b);
    // While pc-b was away pc-a saw nothing answering; then it sees the new certificate.
    await waitFor(async () => ((await projectStatus(a)).peer?.problem?.includes('certificate') ? true : undefined), 20_000, 'pc-a to name the certificate as why the link is down');
    const seen = (await projectStatus(a)).peer!;
    expect(seen.link).toBe('down');
    expect(seen.problem).toMatch(/is not pc-b's: pinned at pairing .*If that PC was replaced or its certificate made anew, pair it again/);
    expect((await projectStatus(b)).peer?.link).toBe('down');
  });

  it('replaces a Standby that is gone by a new PC, as easily', async () => {
    b.child.kill('SIGKILL');
    const d = await start('pc-d');
    const attempt = await startPairing(a, addressOf(d), 'replace-standby');
    expect(attempt.status).toBe(200);
    expect(attempt.body).toMatchObject({ replace: true, peer: { node: 'pc-d' } });
    expect((await acceptWith(d, attempt.body.code!)).status).toBe(200);
    expect(JSON.parse(persistedCluster(a)!).nodes).toEqual({ 'pc-a': secureUrl(a), 'pc-d': secureUrl(d) });
    await waitFor(async () => ((await projectStatus(a)).role === 'server' && (await projectStatus(d)).role === 'standby' ? true : undefined), 20_000, 'pc-a Server, pc-d Standby');
    await equalStateHashes(a, d);

    // Unpairing on either node returns both to standalone, each with its data.
    const seqBefore = (await projectStatus(d)).seq;
    const unpaired = await postJson<UnpairResponse & ErrorResponse>(`${d.url}api/pairing/unpair`, {}, await adminToken(d));
    expect(unpaired.body).toEqual({ peerReached: true, message: 'pc-d and pc-a run standalone again; each kept its data.' });
    for (const node of [a, d]) await expectStandalone(node);
    expect((await projectStatus(d)).seq).toBeGreaterThan(seqBefore);
  });
});

async function equalStateHashes(x: RuntimeProcess, y: RuntimeProcess): Promise<void> {
  await waitFor(async () => {
    const [sx, sy] = await Promise.all([projectStatus(x), projectStatus(y)]);
    return sx.stateHash === sy.stateHash && sx.seq === sy.seq ? true : undefined;
  }, 20_000, 'equal state hashes');
}

describe('guessing codes at scale', () => {
  it('limits pairings started on a PC to 10 a minute (each allows one code try) and requests taken by a PC to 10 a minute', async () => {
    const e = await start('pc-e');
    const [closedPort] = await freePorts(1);
    const starts: number[] = [];
    for (let i = 0; i < 11; i++) starts.push((await startPairing(e, `127.0.0.1:${closedPort}`)).status);
    expect(starts).toEqual([...Array<number>(10).fill(502), 429]);
    const refused = await startPairing(e, `127.0.0.1:${closedPort}`);
    expect(refused.body.error.message).toBe('more than 10 pairings started in the last minute; wait a minute and start again');

    // Requests sent straight to a PC, as a program guessing codes would: each is one try, and only 10 a minute are taken.
    const request = (i: number) => ({
      protocol: 'tandem-pairing/1',
      id: i.toString(16).padStart(32, '0'),
      from: { node: 'guesser', url: 'https://127.0.0.1:9/' },
      project: { id: 'fast', name: 'Fast' },
      maskedKey: 'A'.repeat(43),
      expiresInMs: 60_000,
    });
    const answers: number[] = [];
    for (let i = 1; i <= 11; i++) answers.push((await postJson(`${e.url}api/pairing/peer/request`, request(i))).status);
    expect(answers).toEqual([...Array<number>(10).fill(200), 429]);
    // At most 4 wait for a code at once: the flood does not pile up.
    expect((await pairingOf(e)).incoming).toHaveLength(4);
    await expectStandalone(e);
  });
});

describe('pairing calls from a web page elsewhere', () => {
  it('refuses a POST that is not JSON, so a plain form cannot start a pairing', async () => {
    const token = await adminToken(a);
    const res = await fetch(`${a.url}api/pairing/start`, { method: 'POST', headers: { 'content-type': 'text/plain', authorization: `Bearer ${token}` }, body: JSON.stringify({ project: 'fast', address: addressOf(c) }) });
    expect(res.status).toBe(415);
    expect((await pairingOf(a)).outgoing?.peer.node).not.toBe('pc-c');
  });
});
