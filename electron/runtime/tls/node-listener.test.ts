import { request as httpRequest } from 'node:http';
import { request as httpsRequest, type RequestOptions } from 'node:https';
import { mkdtempSync, rmSync } from 'node:fs';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer, type ClientOptions } from 'ws';
import { loadOrCreateNodeCertificate, type NodeCertificate } from './node-certificate.js';
import { isLoopback } from '../loopback.js';
import { NodeListener } from './node-listener.js';
import { peerFingerprint, pinnedConnect, PinMismatchError } from './pinned-tls.js';

/** This PC's address on its network: a connection from it is not from loopback. */
const LAN_ADDRESS = Object.values(networkInterfaces())
  .flat()
  .find((entry) => entry && entry.family === 'IPv4' && !entry.internal)?.address;

const dir = mkdtempSync(join(tmpdir(), 'tandem-listener-'));
let certificate: NodeCertificate;
const listeners: NodeListener[] = [];
/** Requests and upgrades the listeners handed on, by path. */
const seen: string[] = [];

async function listen(allowPlainHttp: boolean): Promise<number> {
  const wss = new WebSocketServer({ noServer: true });
  const listener = new NodeListener({
    certificate,
    allowPlainHttp,
    requests: (req, res) => {
      seen.push(req.url ?? '');
      res.end(`served ${req.url}`);
    },
    upgrades: (req, socket, head) => {
      seen.push(req.url ?? '');
      wss.handleUpgrade(req, socket, head, (ws) => ws.on('message', (data) => ws.send(`echo ${String(data)}`)));
    },
  });
  listeners.push(listener);
  await listener.listen(0, '0.0.0.0');
  return listener.address().port;
}

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  fingerprint: string | null;
}

function call(url: string, options: RequestOptions = {}): Promise<Answer> {
  const send = url.startsWith('https:') ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(url, { method: 'GET', localAddress: new URL(url).hostname, ...options }, (res) => {
      const fingerprint = peerFingerprint(res.socket);
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString(), fingerprint }));
    });
    req.on('error', reject);
    req.end();
  });
}

function echo(url: string, options: ClientOptions = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { localAddress: new URL(url).hostname, ...options });
    ws.on('open', () => ws.send('hello'));
    ws.on('message', (data) => {
      resolve(String(data));
      ws.close();
    });
    ws.on('unexpected-response', (_req, res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => reject(new Error(`${res.statusCode}: ${Buffer.concat(chunks).toString()}`)));
    });
    ws.on('error', reject);
  });
}

beforeAll(async () => {
  if (!LAN_ADDRESS) throw new Error('this test needs a network address besides loopback (an IPv4 interface that is not internal)');
  certificate = await loadOrCreateNodeCertificate(dir, 'pc-a');
});

afterAll(async () => {
  await Promise.all(listeners.map((listener) => listener.close()));
  rmSync(dir, { recursive: true, force: true });
});

describe('one port for HTTPS and plain HTTP', () => {
  it('speaks TLS with the node certificate to everyone, and plain HTTP to this PC', async () => {
    const port = await listen(false);
    const secure = await call(`https://${LAN_ADDRESS}:${port}/api/status`, { rejectUnauthorized: false });
    expect(secure).toMatchObject({ status: 200, body: 'served /api/status', fingerprint: certificate.fingerprint });
    expect(await call(`http://127.0.0.1:${port}/api/status`)).toMatchObject({ status: 200, body: 'served /api/status' });
    expect(await echo(`wss://${LAN_ADDRESS}:${port}/ws`, { rejectUnauthorized: false })).toBe('echo hello');
    expect(await echo(`ws://127.0.0.1:${port}/ws`)).toBe('echo hello');
  });

  it('sends a plain request from another PC to https://, and refuses its plain POST and WebSocket with a sentence, handing on none', async () => {
    const port = await listen(false);
    const before = seen.length;
    const page = await call(`http://${LAN_ADDRESS}:${port}/alarms?x=1`);
    expect(page.status).toBe(308);
    expect(page.headers.location).toBe(`https://${LAN_ADDRESS}:${port}/alarms?x=1`);
    const post = await call(`http://${LAN_ADDRESS}:${port}/api/login`, { method: 'POST' });
    expect(post.status).toBe(426);
    expect(JSON.parse(post.body)).toMatchObject({ error: { code: 'tlsRequired', message: expect.stringMatching(/plain HTTP only from its own PC: use https:\/\//) } });
    await expect(echo(`ws://${LAN_ADDRESS}:${port}/ws`)).rejects.toThrow(/426: this node takes plain WebSocket connections only from its own PC: use wss:\/\//);
    expect(seen.length).toBe(before);
  });

  it('takes plain HTTP from everyone with allowPlainHttp (an isolated network)', async () => {
    const port = await listen(true);
    expect(await call(`http://${LAN_ADDRESS}:${port}/api/status`)).toMatchObject({ status: 200, body: 'served /api/status' });
    expect(await echo(`ws://${LAN_ADDRESS}:${port}/ws`)).toBe('echo hello');
  });

  it('counts 127.0.0.0/8 and ::1 as this PC, also IPv4-mapped, and nothing else', () => {
    for (const address of ['127.0.0.1', '127.0.0.3', '::1', '::ffff:127.0.0.1']) expect(isLoopback(address)).toBe(true);
    for (const address of ['192.0.2.2', '::ffff:10.0.0.1', 'fe80::1', '128.0.0.1', undefined]) expect(isLoopback(address)).toBe(false);
  });
});

describe('a connection pinned to a certificate', () => {
  it('goes through to the node with exactly that certificate', async () => {
    const port = await listen(false);
    const createConnection = pinnedConnect(certificate.fingerprint, 'pc-a') as unknown as ClientOptions['createConnection'];
    expect(await echo(`wss://${LAN_ADDRESS}:${port}/peer`, { createConnection })).toBe('echo hello');
  });

  it('ends at the handshake with another certificate, naming both, before the request is sent', async () => {
    const port = await listen(false);
    const before = seen.length;
    const other = 'ab'.repeat(32);
    const createConnection = pinnedConnect(other, 'pc-b') as unknown as ClientOptions['createConnection'];
    const failure = await echo(`wss://${LAN_ADDRESS}:${port}/peer`, { createConnection }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(PinMismatchError);
    expect((failure as Error).message).toMatch(new RegExp(`is not pc-b's: pinned at pairing ${'AB:'.repeat(31)}AB, shown ${certificate.fingerprint.slice(0, 2).toUpperCase()}:`));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(seen.length).toBe(before);
  });
});
