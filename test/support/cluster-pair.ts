import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadOrCreateNodeCertificate } from '../../electron/runtime/tls/node-certificate.js';
import type { ProjectStatus, StatusResponse } from '../../shared/protocol/api.js';
import { freePorts, getJson, startRuntimeProcess, waitFor, type RuntimeProcess } from './runtime-process.js';

export interface PairOptions {
  dir: string;
  /** Project file path (or "demo"), and its id. */
  projectFile: string;
  projectId: string;
  failback?: 'automatic' | 'manual';
  timing?: { heartbeatMs: number; failureTimeoutMs: number };
  /**
   * As after a pairing: https:// addresses (loopback aliases such as 127.0.0.2, so a firewall rule
   * can tell the nodes apart) and both certificates pinned. Without it: http://127.0.0.1.
   */
  tls?: { addresses: Record<'pc-a' | 'pc-b', string> };
}

export interface Pair {
  cluster: string;
  nodes: Record<'pc-a' | 'pc-b', RuntimeProcess>;
  start(node: 'pc-a' | 'pc-b'): Promise<RuntimeProcess>;
  status(node: 'pc-a' | 'pc-b'): Promise<ProjectStatus>;
  stop(): Promise<void>;
}

/** Writes a cluster document for pc-a (preferred Server) and pc-b on loopback, starts both and waits for Server and Standby. */
export async function startPair(options: PairOptions): Promise<Pair> {
  const [portA, portB] = await freePorts(2);
  const cluster = join(options.dir, 'cluster.json');
  const scheme = options.tls ? 'https' : 'http';
  const address = options.tls?.addresses ?? { 'pc-a': '127.0.0.1', 'pc-b': '127.0.0.1' };
  // The certificates are made here, before the nodes start, so the cluster document can pin them.
  const fingerprint = async (node: 'pc-a' | 'pc-b') => (await loadOrCreateNodeCertificate(join(options.dir, node), node)).fingerprint;
  writeFileSync(
    cluster,
    JSON.stringify({
      cluster: 'test-line',
      secret: 'a-test-secret-of-enough-length',
      nodes: { 'pc-a': `${scheme}://${address['pc-a']}:${portA}`, 'pc-b': `${scheme}://${address['pc-b']}:${portB}` },
      ...(options.tls ? { fingerprints: { 'pc-a': await fingerprint('pc-a'), 'pc-b': await fingerprint('pc-b') } } : {}),
      timing: options.timing ?? { heartbeatMs: 100, failureTimeoutMs: 500 },
      projects: [{ id: options.projectId, file: options.projectFile, server: 'pc-a', standby: 'pc-b', failback: options.failback ?? 'automatic' }],
    }),
  );
  const start = (node: 'pc-a' | 'pc-b') => startRuntimeProcess({ dataDir: join(options.dir, node), args: ['--cluster', cluster, '--node', node] });
  const pair: Pair = {
    cluster,
    nodes: { 'pc-a': await start('pc-a'), 'pc-b': await start('pc-b') },
    async start(node) {
      pair.nodes[node] = await start(node);
      return pair.nodes[node];
    },
    async status(node) {
      return (await getJson<StatusResponse>(`${pair.nodes[node].url}api/status`)).body.projects[0]!;
    },
    async stop() {
      for (const runtime of Object.values(pair.nodes)) await runtime.stop();
    },
  };
  await waitFor(async () => {
    const [a, b] = [await pair.status('pc-a'), await pair.status('pc-b')];
    return a.role === 'server' && !a.degraded && b.role === 'standby' ? true : undefined;
  }, 20_000, 'pc-a Server and pc-b Standby');
  return pair;
}
