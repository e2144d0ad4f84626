import { z } from 'zod';
import { ProjectId } from '../project/project-schema.js';
import { normalFingerprint } from './fingerprint.js';

/** Node names appear in URLs, logs and the CEL. */
export const NodeName = z
  .string()
  .min(1)
  .max(63)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'use letters, digits, ".", "_" and "-", starting with a letter or digit');

/** 64 hex digits; the `AB:CD:...` a certificate dialog shows is taken as well. */
const Fingerprint = z.preprocess(
  (value) => (typeof value === 'string' ? normalFingerprint(value) : value),
  z.string().regex(/^[0-9a-f]{64}$/, 'a fingerprint is the SHA-256 of a certificate: 64 hex digits, with or without colons'),
);

export const ClusterTiming = z
  .object({
    /** How often each node tells its peer it is alive. */
    heartbeatMs: z.number().int().min(10).max(10_000).default(200),
    /** Silence after which a peer counts as failed. */
    failureTimeoutMs: z.number().int().min(50).max(120_000).default(1000),
  })
  .strict()
  .refine((t) => t.failureTimeoutMs >= 3 * t.heartbeatMs, 'failureTimeoutMs must be at least 3 heartbeats, or one lost heartbeat causes a switchover');
export type ClusterTiming = z.infer<typeof ClusterTiming>;

export const ClusterProject = z
  .object({
    id: ProjectId,
    /** "demo" for the built-in demo, else a project file path relative to the cluster document. */
    file: z.string().min(1).max(1000),
    /** The preferred Server; it takes the role back after a failure when failback is automatic. */
    server: NodeName,
    standby: NodeName,
    failback: z.enum(['automatic', 'manual']).default('automatic'),
  })
  .strict()
  .refine((p) => p.server !== p.standby, 'server and standby must be two different nodes');
export type ClusterProject = z.infer<typeof ClusterProject>;

export const ClusterFile = z
  .object({
    cluster: z.string().min(1).max(63).regex(/^[A-Za-z0-9._-]+$/, 'use letters, digits, ".", "_" and "-"'),
    /** Shared by the nodes to authenticate each other; never sent over the network. */
    secret: z.string().min(16, 'the secret must have at least 16 characters').max(512),
    nodes: z.record(NodeName, z.url({ protocol: /^https?$/, error: 'a node address must be an http:// or https:// URL' })),
    timing: ClusterTiming.default(() => ClusterTiming.parse({})),
    projects: z.array(ClusterProject).min(1).max(100),
    /**
     * Per node, the SHA-256 fingerprint of its TLS certificate (hex), exchanged at pairing like the
     * secret. A node with an https:// address must show exactly this certificate to its peers;
     * without an entry, one that a certificate authority of the dialling PC trusts.
     */
    fingerprints: z.record(NodeName, Fingerprint).optional(),
  })
  .strict();
export type ClusterFile = z.infer<typeof ClusterFile>;

/** Checks a parsed cluster document's references: every project's nodes are declared, ids unique. */
export function checkCluster(cluster: ClusterFile): string[] {
  const errors: string[] = [];
  const seen = new Set<string>();
  for (const node of Object.keys(cluster.fingerprints ?? {})) {
    if (!(node in cluster.nodes)) errors.push(`fingerprints.${node}: node "${node}" is not declared in nodes`);
  }
  cluster.projects.forEach((project, i) => {
    if (seen.has(project.id)) errors.push(`projects[${i}].id: project "${project.id}" is listed twice`);
    seen.add(project.id);
    for (const role of ['server', 'standby'] as const) {
      if (!(project[role] in cluster.nodes)) errors.push(`projects[${i}].${role}: node "${project[role]}" is not declared in nodes`);
    }
  });
  return errors;
}
