import { resolve } from 'node:path';
import type { PairConfig } from '../engine/redundancy/engine-types.js';
import type { Project } from '../../shared/project/load-project.js';
import { ClusterFileError, membershipOf, type Cluster } from './cluster-file.js';
import { DEMO_PROJECT_FILE } from './package-paths.js';
import { loadProjectFile } from './project-file.js';

export interface RuntimeProject {
  project: Project;
  /** The absolute path of its project file (the shipped demo's for the built-in demo). */
  file: string;
  builtInDemo: boolean;
  /** The project's pair; without one it runs standalone. */
  pair?: PairConfig;
}

export interface RuntimeCluster {
  name: string;
  secret: string;
  /** Every node this one shares a project with, and its URL. */
  peers: ReadonlyMap<string, string>;
  /** Per peer, its TLS certificate's fingerprint pinned at pairing (for https:// peers). */
  fingerprints: ReadonlyMap<string, string>;
  /** This node's own URL in the cluster. */
  selfUrl: string;
  failureTimeoutMs: number;
}

/** What a node runs: its projects, and the cluster they are paired in (none: standalone). */
export interface NodeSetup {
  projects: RuntimeProject[];
  cluster?: RuntimeCluster;
  /** For start-up lines: "built-in demo", a project file, or "cluster line-1". */
  origin: string;
  /** With a cluster: the host and port of this node's URL in it. */
  host?: string;
  port?: number;
}

export function standaloneSetup(projectFile: string | null): NodeSetup {
  const file = projectFile ? resolve(projectFile) : DEMO_PROJECT_FILE;
  return { projects: [{ project: loadProjectFile(file), file, builtInDemo: projectFile === null }], origin: projectFile ? file : 'built-in demo' };
}

/** This node's part of a cluster: its projects, each with its pair, and its peers. */
export function clusterSetup(cluster: Cluster, node: string): NodeSetup {
  const membership = membershipOf(cluster, node);
  const projects = membership.projects.map(({ project: entry, peer }): RuntimeProject => {
    const project = loadProjectFile(entry.file);
    if (project.id !== entry.id) {
      throw new ClusterFileError(`cluster file ${cluster.path}: project "${entry.id}" names ${entry.file}, whose id is "${project.id}"; make them the same`);
    }
    const { heartbeatMs, failureTimeoutMs } = cluster.timing;
    return { project, file: entry.file, builtInDemo: entry.builtInDemo, pair: { self: node, peer, preferred: entry.server, failback: entry.failback, heartbeatMs, failureTimeoutMs } };
  });
  return {
    projects,
    cluster: {
      name: cluster.cluster,
      secret: cluster.secret,
      peers: membership.peers,
      fingerprints: new Map(Object.entries(cluster.fingerprints ?? {}).filter(([peer]) => membership.peers.has(peer))),
      selfUrl: membership.url,
      failureTimeoutMs: cluster.timing.failureTimeoutMs,
    },
    origin: `cluster ${cluster.cluster}`,
    host: new URL(membership.url).hostname.replace(/^\[|\]$/g, ''),
    port: membership.listenPort,
  };
}

/** The same projects with no pair: what a node runs after leaving its cluster. */
export function withoutPairs(setup: NodeSetup): NodeSetup {
  return { projects: setup.projects.map(({ pair: _pair, ...project }) => project), origin: 'unpaired' };
}
