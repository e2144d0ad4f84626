import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ClusterTiming, type ClusterFile } from '../../../shared/cluster/cluster-schema.js';
import { loadClusterFile, type Cluster } from '../cluster-file.js';
import type { RuntimeProject } from '../node-setup.js';
import { newClusterSecret, newPairingId } from './pairing-crypto.js';

/**
 * The files pairing keeps in the data folder: `cluster.json` (the cluster document, readable by
 * this account only: it holds the secret), the project files it names in `cluster-projects/`, and
 * the databases a Standby set aside in `backups/` when it took the Server's data instead.
 */
export const CLUSTER_FILE_NAME = 'cluster.json';
const PROJECTS_FOLDER = 'cluster-projects';
const BACKUPS_FOLDER = 'backups';
const STORE_SUFFIXES = ['.sqlite', '.sqlite-wal', '.sqlite-shm'];

export function persistedClusterPath(dataDir: string): string {
  return join(dataDir, CLUSTER_FILE_NAME);
}

/** The cluster this node was paired into, or null when it was not. Throws ClusterFileError when the file is broken. */
export function loadPersistedCluster(dataDir: string): Cluster | null {
  const path = persistedClusterPath(dataDir);
  return existsSync(path) ? loadClusterFile(path) : null;
}

/** The project text a Standby needs: none for the built-in demo, which every node ships. */
export function projectFileText(project: RuntimeProject): string | null {
  return project.builtInDemo ? null : readFileSync(project.file, 'utf8');
}

/** A node as the document names it: `fingerprint` of its TLS certificate when it was reached over https. */
export interface DocumentNode {
  node: string;
  url: string;
  fingerprint: string | null;
}

/**
 * A two-node cluster with a fresh random secret: `server` serves `project`, `standby` stands by.
 * A node with an https:// address gets its certificate pinned.
 */
export function newClusterDocument(server: DocumentNode, standby: DocumentNode, project: RuntimeProject): ClusterFile {
  const pinned = [server, standby].filter((node) => node.fingerprint !== null && node.url.startsWith('https:'));
  return {
    cluster: `pair-${newPairingId().slice(0, 8)}`,
    secret: newClusterSecret(),
    nodes: { [server.node]: server.url, [standby.node]: standby.url },
    timing: ClusterTiming.parse({}),
    projects: [{ id: project.project.id, file: project.builtInDemo ? 'demo' : `${PROJECTS_FOLDER}/${project.project.id}.json`, server: server.node, standby: standby.node, failback: 'automatic' }],
    fingerprints: Object.fromEntries(pinned.map((node) => [node.node, node.fingerprint!])),
  };
}

/**
 * Writes the cluster document and its project file (0600, each replaced atomically) and reads the
 * document back as the runtime loads it. Returns it with an undo that puts back what was there.
 */
export function writePairing(dataDir: string, document: ClusterFile, projectText: string | null): { cluster: Cluster; undo: () => void } {
  const path = persistedClusterPath(dataDir);
  const before = existsSync(path) ? readFileSync(path, 'utf8') : null;
  if (projectText !== null) {
    mkdirSync(join(dataDir, PROJECTS_FOLDER), { recursive: true, mode: 0o700 });
    writePrivate(join(dataDir, PROJECTS_FOLDER, `${document.projects[0]!.id}.json`), projectText);
  }
  writePrivate(path, `${JSON.stringify(document, null, 2)}\n`);
  const undo = () => (before === null ? rmSync(path, { force: true }) : writePrivate(path, before));
  try {
    return { cluster: loadClusterFile(path), undo };
  } catch (error) {
    undo();
    throw error;
  }
}

/** Leaves the cluster: the next start runs standalone. The project files stay; the running setup still uses them. */
export function removePairing(dataDir: string): void {
  rmSync(persistedClusterPath(dataDir), { force: true });
}

/**
 * Moves a project's database aside (into `backups/`) so the project starts empty and takes the
 * Server's log: two nodes' standalone logs share epoch numbers and cannot be aligned. Returns the
 * backup's path, or null when there was no database. Only while the project's store is closed.
 */
export function moveStoreAside(dataDir: string, projectId: string, nowMs: number): string | null {
  const base = join(dataDir, 'projects', projectId);
  if (!existsSync(`${base}.sqlite`)) return null;
  const stamp = new Date(nowMs).toISOString().replace(/[:.]/g, '-');
  const target = join(dataDir, BACKUPS_FOLDER, `${projectId}-before-pairing-${stamp}`);
  mkdirSync(join(dataDir, BACKUPS_FOLDER), { recursive: true });
  for (const suffix of STORE_SUFFIXES) if (existsSync(base + suffix)) renameSync(base + suffix, target + suffix);
  return `${target}.sqlite`;
}

function writePrivate(path: string, text: string): void {
  const temporary = `${path}.tmp`;
  writeFileSync(temporary, text, { mode: 0o600 });
  renameSync(temporary, path);
}
