/**
 * A Server/Standby pair of real `tandem serve --cluster` processes on loopback, for the redundancy
 * benchmarks: start, SIGKILL, restart, poll status, read a stopped node's database. Everything a
 * pair starts is stopped and removed by `close()`.
 */
import Database from 'better-sqlite3';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { StatusResponse, type ProjectStatus } from '../shared/protocol/api.js';
import { freePorts, removeDir, startRuntimeProcess, tempDir, type RuntimeProcess } from '../test/support/runtime-process.js';

export type NodeName = 'pc-a' | 'pc-b';
export const NODES: readonly NodeName[] = ['pc-a', 'pc-b'];
export const DEMO_PROJECT = fileURLToPath(new URL('../projects/demo.json', import.meta.url));

export interface Timing {
  heartbeatMs: number;
  failureTimeoutMs: number;
}

export const DEFAULT_TIMING: Timing = { heartbeatMs: 200, failureTimeoutMs: 1000 };

export interface PairOptions {
  timing: Timing;
  /** A project document (written into the pair's folder); its id is the project the pair runs. */
  project: { id: string } & Record<string, unknown>;
  failback?: 'automatic' | 'manual';
  /** The nodes' log level; warn keeps the bench's memory small, info shows every role change. */
  logLevel?: 'info' | 'warn';
}

/** The built-in demo project's document, for benchmarks that add drivers to it. */
export function demoProjectDocument(): { id: string } & Record<string, unknown> {
  return JSON.parse(readFileSync(DEMO_PROJECT, 'utf8')) as { id: string } & Record<string, unknown>;
}

/** A simulator driver that generates `bulkTags` archived tags (one sample each per period). */
export function bulkDriver(id: string, bulkTags: number, periodMs = 100): Record<string, unknown> {
  return { id, type: 'simulator', settings: { periodMs, bulkTags } };
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Every pair not yet closed: a bench that crashes must not leave nodes running. */
const openPairs = new Set<Pair>();
process.on('exit', () => {
  for (const pair of openPairs) pair.abandon();
});

export class Pair {
  readonly urls: Record<NodeName, string>;
  private readonly processes = new Map<NodeName, RuntimeProcess>();
  /** Each node's latest process, running or not, for its output. */
  private readonly latest = new Map<NodeName, RuntimeProcess>();

  private constructor(
    readonly dir: string,
    readonly clusterFile: string,
    readonly projectId: string,
    ports: number[],
    private readonly logLevel: 'info' | 'warn',
  ) {
    this.urls = { 'pc-a': `http://127.0.0.1:${ports[0]}/`, 'pc-b': `http://127.0.0.1:${ports[1]}/` };
  }

  /** Writes the project and cluster files and starts both nodes (pc-a the preferred Server). */
  static async start(options: PairOptions): Promise<Pair> {
    const dir = tempDir('tandem-bench-pair-');
    const ports = await freePorts(2);
    const projectFile = join(dir, 'project.json');
    writeFileSync(projectFile, JSON.stringify(options.project));
    const clusterFile = join(dir, 'cluster.json');
    writeFileSync(
      clusterFile,
      JSON.stringify({
        cluster: 'bench',
        secret: 'a-bench-secret-of-enough-length',
        nodes: { 'pc-a': `http://127.0.0.1:${ports[0]}`, 'pc-b': `http://127.0.0.1:${ports[1]}` },
        timing: options.timing,
        projects: [{ id: options.project.id, file: projectFile, server: 'pc-a', standby: 'pc-b', failback: options.failback ?? 'automatic' }],
      }),
    );
    const pair = new Pair(dir, clusterFile, options.project.id, ports, options.logLevel ?? 'warn');
    openPairs.add(pair);
    try {
      await Promise.all(NODES.map((node) => pair.startNode(node)));
    } catch (error) {
      await pair.close();
      throw error;
    }
    return pair;
  }

  dataDir(node: NodeName): string {
    return join(this.dir, node);
  }

  running(node: NodeName): boolean {
    return this.processes.has(node);
  }

  async startNode(node: NodeName): Promise<void> {
    if (this.processes.has(node)) throw new Error(`${node} is already running`);
    const args = ['--cluster', this.clusterFile, '--node', node, '--log-level', this.logLevel];
    const runtime = await startRuntimeProcess({ dataDir: this.dataDir(node), args });
    this.processes.set(node, runtime);
    this.latest.set(node, runtime);
    runtime.child.once('exit', () => this.processes.delete(node));
  }

  /** SIGKILL at once; resolves when the process is gone. */
  async kill(node: NodeName): Promise<void> {
    const runtime = this.processes.get(node);
    if (!runtime) return;
    const exited = new Promise((resolve) => runtime.child.once('exit', resolve));
    runtime.child.kill('SIGKILL');
    await exited;
  }

  /** Sends SIGKILL and returns at once with the time it was sent (performance.now()). */
  killNow(node: NodeName): { killedAt: number; exited: Promise<void> } {
    const runtime = this.processes.get(node);
    if (!runtime) throw new Error(`${node} is not running`);
    const exited = new Promise<void>((resolve) => runtime.child.once('exit', () => resolve()));
    const killedAt = performance.now();
    runtime.child.kill('SIGKILL');
    return { killedAt, exited };
  }

  /** The node's project status, or null when it does not answer within timeoutMs. */
  async status(node: NodeName, timeoutMs = 2_000): Promise<ProjectStatus | null> {
    try {
      const res = await fetch(`${this.urls[node]}api/status`, { signal: AbortSignal.timeout(timeoutMs) });
      const parsed = StatusResponse.safeParse(await res.json());
      return parsed.success ? (parsed.data.projects[0] ?? null) : null;
    } catch {
      return null;
    }
  }

  /** The last lines a node's latest process wrote (its log goes to standard error). */
  outputTail(node: NodeName, lines = 20): string {
    return (this.latest.get(node)?.output() ?? '').trimEnd().split('\n').slice(-lines).join('\n');
  }

  /** Distinct log lines of a node's latest process at warn or error level, without their time stamps (at most `max`). */
  problems(node: NodeName, max = 5): string[] {
    const lines = (this.latest.get(node)?.output() ?? '').split('\n').filter((line) => / (warn|error) /.test(line));
    return [...new Set(lines.map((line) => line.replace(/^\S+ /, '')))].slice(0, max);
  }

  /** Polls every pollMs until `probe` holds; throws after timeoutMs naming what it waited for. */
  async until(what: string, timeoutMs: number, probe: () => Promise<boolean>, pollMs = 50): Promise<void> {
    const deadline = performance.now() + timeoutMs;
    while (performance.now() < deadline) {
      if (await probe()) return;
      await sleep(pollMs);
    }
    throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
  }

  /** The pair is whole: `server` serves, the other stands by, the Server is not degraded, both in one epoch. */
  async whole(server: NodeName = 'pc-a', timeoutMs = 60_000): Promise<void> {
    const standby = other(server);
    await this.until(`${server} Server and ${standby} Standby, not degraded`, timeoutMs, async () => {
      const [s, b] = await Promise.all([this.status(server), this.status(standby)]);
      return s?.role === 'server' && b?.role === 'standby' && !s.degraded && s.epoch === b.epoch && s.peer?.link === 'up';
    });
  }

  /** Stops every node cleanly (SIGTERM; SIGKILL after 20 s). */
  async stopNodes(): Promise<void> {
    await Promise.all(
      [...this.processes.values()].map(async (runtime) => {
        const timer = setTimeout(() => runtime.child.kill('SIGKILL'), 20_000);
        await runtime.stop();
        clearTimeout(timer);
      }),
    );
  }

  /**
   * Opens a stopped node's database (a running node holds it locked). Read-write, so that the
   * write-ahead log a killed node left behind is recovered into what the bench reads.
   */
  openDatabase(node: NodeName): Database.Database {
    if (this.processes.has(node)) throw new Error(`${node} is running: its database is locked`);
    return new Database(join(this.dataDir(node), 'projects', `${this.projectId}.sqlite`), { fileMustExist: true });
  }

  async close(): Promise<void> {
    await this.stopNodes();
    removeDir(this.dir);
    openPairs.delete(this);
  }

  /** On the way out of a crashed bench: SIGKILL whatever still runs and remove the folder. */
  abandon(): void {
    for (const runtime of this.processes.values()) runtime.child.kill('SIGKILL');
    removeDir(this.dir);
  }
}

export function other(node: NodeName): NodeName {
  return node === 'pc-a' ? 'pc-b' : 'pc-a';
}

/** Archived samples and CEL entries (alarm transitions included) in the log after `afterSeq` up to `throughSeq`. */
export function eventsInLog(db: Database.Database, afterSeq: number, throughSeq: number): { ops: number; samples: number; celEntries: number } {
  const row = db
    .prepare(
      `SELECT count(*) AS ops,
              coalesce(sum(CASE WHEN kind = 'samples' THEN json_array_length(body, '$.samples') ELSE 0 END), 0) AS samples,
              coalesce(sum(CASE WHEN kind IN ('alarm', 'cel') THEN 1 ELSE 0 END), 0) AS celEntries
         FROM log WHERE seq > ? AND seq <= ?`,
    )
    .get(afterSeq, throughSeq) as { ops: number; samples: number; celEntries: number };
  return row;
}
