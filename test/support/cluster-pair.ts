import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ProjectStatus, StatusResponse } from '../../shared/protocol/api.js';
import { freePorts, getJson, startRuntimeProcess, waitFor, type RuntimeProcess } from './runtime-process.js';

export interface PairOptions {
  dir: string;
  /** Project file path (or "demo"), and its id. */
  projectFile: string;
  projectId: string;
  failback?: 'automatic' | 'manual';
  timing?: { heartbeatMs: number; failureTimeoutMs: number };
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
  writeFileSync(
    cluster,
    JSON.stringify({
      cluster: 'test-line',
      secret: 'a-test-secret-of-enough-length',
      nodes: { 'pc-a': `http://127.0.0.1:${portA}`, 'pc-b': `http://127.0.0.1:${portB}` },
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
