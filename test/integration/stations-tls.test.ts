import { request } from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket, { type ClientOptions } from 'ws';
import { pinnedConnect } from '../../electron/runtime/tls/pinned-tls.js';
import { ServerMessage } from '../../shared/protocol/ws.js';
import { startPair, type Pair } from '../support/cluster-pair.js';
import { FAST_PROJECT } from '../support/fixtures.js';
import { fingerprintOf } from '../support/pairing.js';
import { removeDir, tempDir } from '../support/runtime-process.js';

/** Two loopback aliases: the nodes' addresses in the pair, as two PCs' addresses would be. */
const ADDRESS = { 'pc-a': '127.0.0.4', 'pc-b': '127.0.0.5' } as const;
const dir = tempDir('tandem-stations-tls-');
let pair: Pair;

beforeAll(async () => {
  pair = await startPair({ dir, projectFile: FAST_PROJECT, projectId: 'fast', tls: { addresses: ADDRESS } });
});

afterAll(async () => {
  await pair.stop();
  removeDir(dir);
});

const portOf = (node: 'pc-a' | 'pc-b') => new URL(pair.nodes[node].url).port;

/** A browser's preflight for a JSON POST from a page of `origin` to pc-b: the origin it was allowed, or null. */
async function preflightFrom(origin: string): Promise<string | null> {
  const res = await fetch(`${pair.nodes['pc-b'].url}api/projects/fast/alarms/Trip.Active/ack`, {
    method: 'OPTIONS',
    headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type, authorization' },
  });
  return res.headers.get('access-control-allow-origin');
}

describe('stations of a pair over TLS', () => {
  it('are told both nodes by their https:// address and certificate', async () => {
    const nodes = (await pair.status('pc-b')).nodes;
    expect(nodes).toEqual([
      { node: 'pc-a', url: `https://${ADDRESS['pc-a']}:${portOf('pc-a')}`, fingerprint: fingerprintOf(pair.nodes['pc-a']) },
      { node: 'pc-b', url: `https://${ADDRESS['pc-b']}:${portOf('pc-b')}`, fingerprint: fingerprintOf(pair.nodes['pc-b']) },
    ]);
  });

  it('reach the other node from a page of either node: its address over https, or its port on loopback (the desktop window)', async () => {
    for (const origin of [`https://${ADDRESS['pc-a']}:${portOf('pc-a')}`, `http://${ADDRESS['pc-a']}:${portOf('pc-a')}`, `http://127.0.0.1:${portOf('pc-a')}`, `http://localhost:${portOf('pc-a')}`]) {
      expect(await preflightFrom(origin)).toBe(origin);
    }
    // Pages of anything else are not let in: another port, another host.
    for (const origin of [`http://127.0.0.1:${Number(portOf('pc-a')) + 1}`, `https://plant-intranet.example:${portOf('pc-a')}`]) {
      expect(await preflightFrom(origin)).toBeNull();
    }
  });

  it('get the UI and the live feed over TLS from the certificate pinned for the node', async () => {
    const url = `https://${ADDRESS['pc-b']}:${portOf('pc-b')}/`;
    const createConnection = pinnedConnect(fingerprintOf(pair.nodes['pc-b']), 'pc-b');
    const page = await new Promise<{ status: number; csp: string }>((resolve, reject) => {
      const req = request(url, { createConnection: createConnection as never }, (res) => {
        res.resume();
        resolve({ status: res.statusCode ?? 0, csp: String(res.headers['content-security-policy']) });
      });
      req.on('error', reject);
      req.end();
    });
    expect(page.status).toBe(200);
    // The page may talk to the pair's other node, over TLS.
    expect(page.csp).toContain(`https://${ADDRESS['pc-a']}:${portOf('pc-a')} wss://${ADDRESS['pc-a']}:${portOf('pc-a')}`);

    const ws = new WebSocket(`wss://${ADDRESS['pc-b']}:${portOf('pc-b')}/ws`, { createConnection: createConnection as unknown as ClientOptions['createConnection'] });
    const first = await new Promise<ServerMessage>((resolve, reject) => {
      ws.once('message', (data) => resolve(ServerMessage.parse(JSON.parse(data.toString()))));
      ws.once('error', reject);
    });
    ws.close();
    expect(first).toMatchObject({ type: 'welcome', node: 'pc-b' });
  });
});
