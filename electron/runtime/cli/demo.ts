import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createInterface, type Interface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { StatusResponse } from '../../../shared/protocol/api.js';
import { ProjectFileError } from '../project-file.js';
import { parseDemoArgs } from './demo-args.js';
import { demoClusterDocument, DEMO_NODES, DEMO_TIMING, type DemoNode } from './demo-cluster.js';
import { DEMO_HELP } from './help.js';

/** The compiled CLI beside this file: each node is a `tandem serve` child process of it. */
const CLI_MAIN = fileURLToPath(new URL('./main.js', import.meta.url));
/** A node that does not stop within this time after SIGTERM is killed, so quitting always ends. */
const STOP_TIMEOUT_MS = 15_000;
/** How long the banner waits for pc-a to serve and pc-b to stand by. */
const SETTLE_TIMEOUT_MS = 15_000;
/**
 * A node whose power was cut from the UI starts again after this pause: long enough to watch the
 * takeover, short enough that the newcomer then sees the return, alignment and failback.
 */
const POWER_BACK_MS = 8_000;
/**
 * The demo's administrator password, unless TANDEM_ADMIN_PASSWORD names another: a newcomer reads it
 * in the banner and signs in with two fields. Demo only; `tandem serve` generates one instead.
 */
export const DEMO_ADMIN_PASSWORD = 'tandem-demo';

interface NodeProcess {
  name: DemoNode;
  url: string;
  dataDir: string;
  child: ChildProcess | null;
  /** Set while the node waits to come back after a power cut. */
  powerBack: NodeJS.Timeout | null;
}

/**
 * `tandem demo`: a Server (pc-a) and a Standby (pc-b) of the built-in demo project as two child
 * processes on loopback, their output prefixed with the node name, and a keyboard control to kill
 * and restart them, so anyone can watch a failover, the alignment and the failback. The nodes offer
 * a power cut to the UI (`--demo-power-cut`); a node that cut its own power comes back by itself.
 */
export async function demo(argv: string[]): Promise<number> {
  const args = parseDemoArgs(argv);
  if (args.help) {
    process.stdout.write(DEMO_HELP);
    return 0;
  }
  const dataDir = resolve(args.dataDir);
  const clusterFile = writeClusterFile(dataDir, { 'pc-a': args.portA, 'pc-b': args.portB });
  const nodes = DEMO_NODES.map((name): NodeProcess => ({
    name,
    url: `http://127.0.0.1:${name === 'pc-a' ? args.portA : args.portB}/`,
    dataDir: join(dataDir, name),
    child: null,
    powerBack: null,
  }));
  // Ctrl-C or SIGTERM at any moment, even while the nodes start, stops both before the demo exits.
  const control = new DemoControl(nodes, clusterFile);
  process.stdout.write(`Tandem demo: pc-a and pc-b of the built-in demo project, data ${dataDir}\n`);
  try {
    await Promise.all(nodes.map((node) => control.start(node)));
  } catch (error) {
    if (!control.quitting) {
      process.stderr.write(`tandem: ${(error as Error).message}\n`);
      void control.quit(1);
    }
    return control.exitCode;
  }
  const [a, b] = nodes as [NodeProcess, NodeProcess];
  // The node that started first serves first and hands over to pc-a: show the keys once that is done.
  await settled(a, b, () => control.quitting);
  if (control.quitting) return control.exitCode;
  process.stdout.write(
    `\nopen ${a.url} — the Server; pc-b at ${b.url} is its Standby\n` +
      `Sign in (top right) as admin with the password ${demoAdminPassword()} to acknowledge alarms, write values and cut power.\n` +
      `To try a failover, click "Cut power to pc-a" under Redundancy on the Overview page: pc-a comes back by itself ${POWER_BACK_MS / 1000} s later.\n` +
      `Or stop pc-a with: kill ${a.child?.pid}  — or press a then Enter to kill pc-a, b for pc-b, r to restart a stopped node, q to quit\n` +
      `(pc-b takes over after ${DEMO_TIMING.failureTimeoutMs} ms of silence; a returning pc-a aligns, then takes its role back)\n\n`,
  );
  control.readKeys();
  return control.exitCode;
}

function demoAdminPassword(): string {
  return process.env.TANDEM_ADMIN_PASSWORD || DEMO_ADMIN_PASSWORD;
}

/** Resolves once a serves and b stands by, or after SETTLE_TIMEOUT_MS (the banner then still helps). */
async function settled(a: NodeProcess, b: NodeProcess, quitting: () => boolean): Promise<void> {
  const deadline = Date.now() + SETTLE_TIMEOUT_MS;
  while (Date.now() < deadline && a.child && b.child && !quitting()) {
    const [roleA, roleB] = await Promise.all([roleOf(a), roleOf(b)]);
    if (roleA === 'server' && roleB === 'standby') return;
    await new Promise((resolveWait) => setTimeout(resolveWait, 100));
  }
}

async function roleOf(node: NodeProcess): Promise<string | null> {
  try {
    const parsed = StatusResponse.safeParse(await (await fetch(`${node.url}api/status`)).json());
    return parsed.success ? (parsed.data.projects[0]?.role ?? null) : null;
  } catch {
    return null;
  }
}

function writeClusterFile(dataDir: string, ports: Record<DemoNode, number>): string {
  const file = join(dataDir, 'cluster.json');
  try {
    mkdirSync(dataDir, { recursive: true });
    // A fresh secret on every start: both nodes read this one file, nothing else needs to know it.
    writeFileSync(file, JSON.stringify(demoClusterDocument(ports, randomBytes(24).toString('base64url')), null, 2) + '\n', { mode: 0o600 });
    chmodSync(file, 0o600);
  } catch (error) {
    throw new ProjectFileError(`cannot write the demo cluster file ${file}: ${(error as NodeJS.ErrnoException).code ?? error}`);
  }
  return file;
}

class DemoControl {
  quitting = false;
  /** Resolves with the demo's exit code once both nodes are stopped. */
  readonly exitCode: Promise<number>;
  private finish: (code: number) => void = () => undefined;
  private keys: Interface | null = null;
  /** Nodes killed with the a or b key: they stay down until r. Any other SIGKILL is a power cut from the UI. */
  private readonly killedByKey = new WeakSet<ChildProcess>();
  private readonly onSignal = () => void this.quit();

  constructor(
    private readonly nodes: NodeProcess[],
    private readonly clusterFile: string,
  ) {
    this.exitCode = new Promise((resolveExit) => (this.finish = resolveExit));
    process.on('SIGINT', this.onSignal);
    process.on('SIGTERM', this.onSignal);
  }

  /** Starts a node's `tandem serve` and resolves once it listens; rejects if it exits first. */
  start(node: NodeProcess): Promise<void> {
    const args = ['serve', '--cluster', this.clusterFile, '--node', node.name, '--data', node.dataDir, '--demo-power-cut'];
    const child = spawn(process.execPath, [CLI_MAIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, TANDEM_ADMIN_PASSWORD: demoAdminPassword() } });
    node.child = child;
    return new Promise((resolveStart, rejectStart) => {
      let listening = false;
      createInterface({ input: child.stdout! }).on('line', (line) => {
        process.stdout.write(`${node.name} | ${line}\n`);
        if (!listening && line.startsWith('Tandem listening on ')) {
          listening = true;
          resolveStart();
        }
      });
      createInterface({ input: child.stderr! }).on('line', (line) => process.stderr.write(`${node.name} | ${line}\n`));
      child.once('exit', (code, signal) => {
        node.child = null;
        const how = signal ? `was stopped by ${signal}` : `exited with code ${code}`;
        if (!listening) rejectStart(new Error(`${node.name} ${how} before it listened on ${node.url}; see its lines above (a port in use? pick others with --base-port)`));
        else if (this.quitting) return;
        else if (signal === 'SIGKILL' && !this.killedByKey.has(child)) this.powerBackLater(node);
        else process.stdout.write(`-- ${node.name} ${how}; press r then Enter to restart it\n`);
      });
    });
  }

  /** Reads keyboard commands (a line each) until q, Ctrl-C or SIGTERM. */
  readKeys(): void {
    this.keys = createInterface({ input: process.stdin });
    this.keys.on('line', (line) => this.command(line.trim().toLowerCase()));
  }

  private command(key: string): void {
    if (this.quitting || key === '') return;
    if (key === 'a' || key === 'b') this.kill(this.nodes.find((node) => node.name === `pc-${key}`)!);
    else if (key === 'r') this.restart();
    else if (key === 'q') void this.quit();
    else process.stdout.write(`-- unknown key "${key}": a or b kills that node, r restarts a stopped node, q quits\n`);
  }

  private kill(node: NodeProcess): void {
    if (!node.child) {
      process.stdout.write(`-- ${node.name} is not running; press r then Enter to restart it\n`);
      return;
    }
    process.stdout.write(`-- killing ${node.name} (SIGKILL, pid ${node.child.pid}), as if its PC lost power\n`);
    this.killedByKey.add(node.child);
    node.child.kill('SIGKILL');
  }

  /** A node's power was cut from the UI (it sent itself SIGKILL): it comes back by itself, as a PC would. */
  private powerBackLater(node: NodeProcess): void {
    process.stdout.write(`-- ${node.name} lost power; it comes back in ${POWER_BACK_MS / 1000} s\n`);
    node.powerBack = setTimeout(() => {
      node.powerBack = null;
      if (!this.quitting && !node.child) this.restartNode(node);
    }, POWER_BACK_MS);
  }

  private restart(): void {
    const stopped = this.nodes.filter((node) => !node.child);
    if (stopped.length === 0) {
      process.stdout.write('-- both nodes are running; press a or b then Enter to kill one first\n');
      return;
    }
    for (const node of stopped) this.restartNode(node);
  }

  private restartNode(node: NodeProcess): void {
    this.cancelPowerBack(node);
    process.stdout.write(`-- restarting ${node.name} with its data in ${node.dataDir}\n`);
    this.start(node).then(
      () => process.stdout.write(`-- ${node.name} is back (pid ${node.child?.pid}) at ${node.url}: it aligns with the Server first\n`),
      (error: unknown) => {
        if (!this.quitting) process.stderr.write(`tandem: ${(error as Error).message}\n`);
      },
    );
  }

  private cancelPowerBack(node: NodeProcess): void {
    if (node.powerBack) clearTimeout(node.powerBack);
    node.powerBack = null;
  }

  /** Stops both nodes; the exit code is `code`, or 0 when both stopped cleanly (1 if not). */
  async quit(code?: number): Promise<void> {
    if (this.quitting) return;
    this.quitting = true;
    for (const node of this.nodes) this.cancelPowerBack(node);
    process.stdout.write('-- stopping pc-a and pc-b\n');
    const clean = await this.stopAll();
    this.keys?.close();
    process.off('SIGINT', this.onSignal);
    process.off('SIGTERM', this.onSignal);
    this.finish(code ?? (clean ? 0 : 1));
  }

  /** SIGTERM to every running node, SIGKILL to any that has not stopped in time; true when all stopped cleanly. */
  private async stopAll(): Promise<boolean> {
    const results = await Promise.all(this.nodes.map(async ({ child }) => {
      if (!child || child.exitCode !== null || child.signalCode !== null) return true;
      const exited = new Promise<boolean>((done) => child.once('exit', (code, signal) => done(code === 0 || signal === 'SIGTERM' || signal === 'SIGINT')));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
      const clean = await exited;
      clearTimeout(timer);
      return clean;
    }));
    return results.every(Boolean);
  }
}
