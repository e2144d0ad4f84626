import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { ArchiveResponse, ProjectStatus, StatusResponse } from '../../shared/protocol/api.js';
import { ServerMessage } from '../../shared/protocol/ws.js';
import { startPair } from '../support/cluster-pair.js';
import { FAST_PROJECT } from '../support/fixtures.js';
import { cutBetween } from '../support/nft-partition.js';
import { getJson, removeDir, tempDir, waitFor, type RuntimeProcess } from '../support/runtime-process.js';

const ADDRESS = { 'pc-a': '127.0.0.2', 'pc-b': '127.0.0.3' } as const;
const cleanups: Array<() => void | Promise<unknown>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function startTlsPair(): Promise<Record<'pc-a' | 'pc-b', RuntimeProcess>> {
  const dir = tempDir('tandem-partition-');
  // Over TLS with pinned certificates, as after a pairing, on two loopback aliases the firewall can tell apart.
  const pair = await startPair({ dir, projectFile: FAST_PROJECT, projectId: 'fast', tls: { addresses: ADDRESS } });
  cleanups.push(async () => {
    await pair.stop();
    removeDir(dir);
  });
  return pair.nodes;
}

async function status(runtime: RuntimeProcess): Promise<ProjectStatus> {
  return (await getJson<StatusResponse>(`${runtime.url}api/status`)).body.projects[0]!;
}

function cut(): { heal(): void } {
  const partition = cutBetween(ADDRESS['pc-a'], ADDRESS['pc-b']);
  cleanups.push(() => partition.heal());
  return partition;
}

describe('the peer link cut silently (nftables), the processes running on', () => {
  it('with no station to witness, both serve in different epochs; after healing one Server remains and nothing is lost', async () => {
    const nodes = await startTlsPair();
    const from = Math.ceil((Date.now() + 500) / 100) * 100;
    const partition = cut();
    // Each side notices the silence on its own clock: pc-b may serve a few milliseconds before pc-a marks itself degraded.
    await waitFor(async () => ((await status(nodes['pc-b'])).role === 'server' && (await status(nodes['pc-a'])).degraded ? true : undefined), 10_000, 'pc-b to serve and pc-a to show redundancy degraded');
    const [a, b] = [await status(nodes['pc-a']), await status(nodes['pc-b'])];
    expect(a.role).toBe('server');
    expect(b.role).toBe('server');
    expect(b.epoch).not.toBe(a.epoch);
    await new Promise((r) => setTimeout(r, 1_000));
    partition.heal();
    // The higher epoch (pc-b) wins, pc-a hands back what it recorded alone, then takes its role back (failback).
    await waitFor(async () => {
      const [sa, sb] = [await status(nodes['pc-a']), await status(nodes['pc-b'])];
      return sa.role === 'server' && sb.role === 'standby' && sa.epoch > b.epoch && sa.stateHash === sb.stateHash && sa.seq === sb.seq ? true : undefined;
    }, 30_000, 'pc-a Server again after failback, equal state hashes');
    const to = from + 2_500;
    await waitFor(async () => ((await getJson<ArchiveResponse>(`${nodes['pc-b'].url}api/projects/fast/archive?tag=Sim.Counter&from=${to}&to=${to}`)).body.samples.length === 1 ? true : undefined));
    const archive = await getJson<ArchiveResponse>(`${nodes['pc-b'].url}api/projects/fast/archive?tag=Sim.Counter&from=${from}&to=${to}`);
    expect(archive.body.samples.map((s) => s.t)).toEqual(Array.from({ length: 26 }, (_, i) => from + i * 100));
  });

  it('a station that still hears the Server keeps the Standby from taking over: the Server carries on, degraded', async () => {
    const nodes = await startTlsPair();
    const serving = await status(nodes['pc-a']);
    const data = new WebSocket(`${nodes['pc-a'].url.replace('http', 'ws')}ws`);
    const control = new WebSocket(`${nodes['pc-b'].url.replace('http', 'ws')}ws`);
    let lastFromServerMs = Date.now();
    data.on('message', (raw) => {
      if (ServerMessage.safeParse(JSON.parse(raw.toString())).success) lastFromServerMs = Date.now();
    });
    const witness = setInterval(() => {
      if (control.readyState !== WebSocket.OPEN) return;
      control.send(JSON.stringify({ type: 'witness', project: 'fast', server: 'pc-a', epoch: serving.epoch, silentForMs: Date.now() - lastFromServerMs }));
    }, 100);
    cleanups.push(() => {
      clearInterval(witness);
      data.terminate();
      control.terminate();
    });
    await waitFor(() => (control.readyState === WebSocket.OPEN && data.readyState === WebSocket.OPEN ? true : undefined));
    const partition = cut();
    await waitFor(async () => ((await status(nodes['pc-a'])).degraded ? true : undefined), 10_000, 'pc-a to show redundancy degraded');
    await new Promise((r) => setTimeout(r, 2_000));
    expect((await status(nodes['pc-b'])).role).not.toBe('server');
    expect((await status(nodes['pc-a'])).role).toBe('server');
    partition.heal();
    await waitFor(async () => ((await status(nodes['pc-a'])).degraded ? undefined : true), 20_000, 'the pair whole again');
    expect((await status(nodes['pc-a'])).epoch).toBe(serving.epoch);
  });
});
