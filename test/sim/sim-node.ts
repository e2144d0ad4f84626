import { PairEngine } from '../../electron/engine/redundancy/pair-engine.js';
import type { CommandReply, EngineInput, PairConfig } from '../../electron/engine/redundancy/engine-types.js';
import { executeEffects } from '../../electron/runtime/host/effect-executor.js';
import type { TagWrite } from '../../shared/protocol/ops.js';
import type { Project } from '../../shared/project/load-project.js';
import type { SimNetwork } from './sim-network.js';
import { SimStore } from './sim-store.js';

export interface RoleChange {
  node: string;
  atMs: number;
  role: string;
  epoch: number;
  server: string | null;
  reason: string;
}

/**
 * A simulated node: the real PairEngine and the runtime's own effect executor, over a SimStore and
 * the simulated network (persist first, then feed the result back as an input).
 */
export class SimNode {
  readonly store = new SimStore();
  engine: PairEngine | null = null;
  private boots = 0;
  /** While set, the node stands still (its event loop blocked by a long write): its inputs wait. */
  private stalledUntilMs: number | null = null;
  private waiting: EngineInput[] = [];

  constructor(
    readonly name: string,
    private readonly project: Project,
    private readonly config: PairConfig,
    private readonly network: SimNetwork,
    private readonly onRole: (change: RoleChange) => void,
    private readonly onReply: (node: string, requestId: string, reply: CommandReply) => void,
  ) {}

  get up(): boolean {
    return this.engine !== null;
  }

  get stalled(): boolean {
    return this.stalledUntilMs !== null;
  }

  stall(untilMs: number): void {
    this.stalledUntilMs = untilMs;
  }

  /**
   * Runs again once the stall is over, as Node.js does after a blocked event loop: the timer first
   * (one tick, however many it missed), then every message and reading that waited, all seen now.
   */
  resumeIfDue(nowMs: number): void {
    if (this.stalledUntilMs === null || nowMs < this.stalledUntilMs) return;
    this.stalledUntilMs = null;
    const waiting = this.waiting.splice(0);
    this.input({ kind: 'tick', nowMs });
    for (const input of waiting) this.input('nowMs' in input ? { ...input, nowMs } : input);
  }

  boot(nowMs: number): void {
    this.boots += 1;
    this.engine = new PairEngine(this.project, this.config, `b${this.boots}`, this.store.stored(), nowMs);
    this.input({ kind: 'link', nowMs, up: true });
  }

  crash(): void {
    this.engine = null;
    this.stalledUntilMs = null;
    this.waiting = [];
    this.network.dropTo(this.name);
  }

  input(first: EngineInput): void {
    const engine = this.engine;
    if (!engine) return;
    if (this.stalledUntilMs !== null) {
      if (first.kind !== 'tick') this.waiting.push(first);
      return;
    }
    const writes: Array<{ requestId: string; writes: TagWrite[] }> = [];
    executeEffects(engine, first, {
      store: this.store,
      peer: { send: (envelope) => (this.network.send(this.name, this.config.peer!, envelope, this.nowMs(first)), true) },
      projectId: this.project.id,
      node: this.name,
      listeners: new Set(),
      reply: (requestId, reply) => this.onReply(this.name, requestId, reply),
      // The simulated plant takes every value at once; writing it is recorded so checkers can count.
      write: (requestId, values) => writes.push({ requestId, writes: values }),
      onRole: (role, epoch, server, reason, nowMs) => this.onRole({ node: this.name, atMs: nowMs, role, epoch, server, reason }),
    });
    for (const { requestId, writes: values } of writes) {
      this.writesMade.push(requestId);
      this.input({ kind: 'written', nowMs: this.nowMs(first), requestId, outcomes: values.map((w) => ({ ...w, ok: true, error: null })) });
    }
  }

  /** Every write this node's drivers made, in order: a checker counts them per requestId. */
  readonly writesMade: string[] = [];

  private nowMs(input: EngineInput): number {
    return 'nowMs' in input ? input.nowMs : 0;
  }
}
