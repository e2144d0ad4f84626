import type { ClusterFile } from '../../../shared/cluster/cluster-schema.js';

export const DEMO_NODES = ['pc-a', 'pc-b'] as const;
export type DemoNode = (typeof DEMO_NODES)[number];

/** The default timing of docs/cluster.md: the demo shows what a plant gets out of the box. */
export const DEMO_TIMING = { heartbeatMs: 200, failureTimeoutMs: 1000 } as const;

/** The cluster document of the demo pair: the built-in demo project, pc-a its Server, pc-b its Standby, on loopback. */
export function demoClusterDocument(ports: Record<DemoNode, number>, secret: string): ClusterFile {
  return {
    cluster: 'demo-pair',
    secret,
    nodes: { 'pc-a': `http://127.0.0.1:${ports['pc-a']}/`, 'pc-b': `http://127.0.0.1:${ports['pc-b']}/` },
    timing: { ...DEMO_TIMING },
    projects: [{ id: 'demo', file: 'demo', server: 'pc-a', standby: 'pc-b', failback: 'automatic' }],
  };
}
