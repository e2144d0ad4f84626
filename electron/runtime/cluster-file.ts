import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { z } from 'zod';
import { checkCluster, ClusterFile, type ClusterProject } from '../../shared/cluster/cluster-schema.js';
import { formatIssues } from '../../shared/project/load-project.js';
import { DEMO_PROJECT_FILE } from './package-paths.js';
import { describeJsonError, hideSecretInputs } from './secret-safe-errors.js';

export class ClusterFileError extends Error {}

/** A cluster project with `file` made absolute: the shipped demo's path, or resolved against the cluster file's folder. */
export interface ClusterProjectEntry extends ClusterProject {
  /** For start-up lines like "project demo (built-in demo)". */
  builtInDemo: boolean;
}

/** A validated cluster file. It holds the secret: pass it to the peer link, never to a log. */
export interface Cluster extends Omit<ClusterFile, 'projects'> {
  /** The absolute path it was read from, for messages. */
  path: string;
  projects: ClusterProjectEntry[];
}

/** The keyword that names the project shipped with Tandem instead of a file. */
const DEMO_FILE_KEYWORD = 'demo';

/** Reads and validates a cluster file; every failure names the file and what is wrong in it, never the secret. */
export function loadClusterFile(path: string): Cluster {
  const absolute = resolve(path);
  const fail = (problems: string[]) => new ClusterFileError(problems.map((problem) => `cluster file ${absolute}: ${problem}`).join('\n'));
  let text: string;
  try {
    text = readFileSync(absolute, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'it is a folder' : String(code ?? error);
    throw fail([`cannot read it: ${why}`]);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw fail([`not valid JSON: ${describeJsonError((error as Error).message, text)}`]);
  }
  const parsed = ClusterFile.safeParse(json, { reportInput: true });
  if (!parsed.success) throw fail(formatIssues(hideSecretInputs(parsed.error.issues.flatMap(keyProblems), (path) => path[0] === 'secret')));
  const problems = [...checkCluster(parsed.data), ...duplicateAddresses(parsed.data)];
  if (problems.length > 0) throw fail(problems);
  const folder = dirname(absolute);
  return {
    ...parsed.data,
    path: absolute,
    projects: parsed.data.projects.map((project) => {
      const builtInDemo = project.file === DEMO_FILE_KEYWORD;
      return { ...project, builtInDemo, file: builtInDemo ? DEMO_PROJECT_FILE : resolve(folder, project.file) };
    }),
  };
}

/** zod reports a bad record key (a node name) as "Invalid key in record"; say what is wrong with it. */
function keyProblems(issue: z.core.$ZodIssue): z.core.$ZodIssue[] {
  return issue.code === 'invalid_key' ? issue.issues.map((inner) => ({ ...inner, path: issue.path })) : [issue];
}

/** Two nodes at one address would make a node dial itself. */
function duplicateAddresses(cluster: ClusterFile): string[] {
  const owners = new Map<string, string>();
  const problems: string[] = [];
  for (const [node, url] of Object.entries(cluster.nodes)) {
    const address = new URL(url).host;
    const owner = owners.get(address);
    if (owner !== undefined) problems.push(`nodes.${node}: has the same address (${address}) as node ${owner}; each node needs its own`);
    else owners.set(address, node);
  }
  return problems;
}

/** One project this node runs: its preferred role there and the node it pairs with. */
export interface NodeProject {
  project: ClusterProjectEntry;
  preferredRole: 'server' | 'standby';
  peer: string;
}

/** What a node of the cluster does: where it listens, which projects it runs, whom it links to. */
export interface Membership {
  node: string;
  url: string;
  /** The node listens on the port of its own URL, the one its peers and stations use. */
  listenPort: number;
  projects: NodeProject[];
  /** Every node this one shares a project with, and its URL. */
  peers: Map<string, string>;
}

/** This node's part in the cluster; refuses a node the cluster does not name or gives nothing to do. */
export function membershipOf(cluster: Cluster, node: string): Membership {
  const url = cluster.nodes[node];
  const nodes = Object.keys(cluster.nodes).sort().join(', ');
  if (url === undefined) {
    throw new ClusterFileError(`node ${node} is not in cluster ${cluster.cluster} (nodes: ${nodes}); start it with --node set to one of these, or add it to ${cluster.path}`);
  }
  const projects: NodeProject[] = [];
  const peers = new Map<string, string>();
  for (const project of cluster.projects) {
    const preferredRole = project.server === node ? 'server' : project.standby === node ? 'standby' : null;
    if (preferredRole === null) continue;
    const peer = preferredRole === 'server' ? project.standby : project.server;
    projects.push({ project, preferredRole, peer });
    peers.set(peer, cluster.nodes[peer]!);
  }
  if (projects.length === 0) {
    throw new ClusterFileError(`node ${node} is in cluster ${cluster.cluster} but is the server or standby of none of its projects; give it a project in ${cluster.path}`);
  }
  const parsedUrl = new URL(url);
  const listenPort = parsedUrl.port !== '' ? Number(parsedUrl.port) : parsedUrl.protocol === 'https:' ? 443 : 80;
  return { node, url, listenPort, projects, peers };
}
