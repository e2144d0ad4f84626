import { PairEngine } from '../../electron/engine/redundancy/pair-engine.js';
import type { CommandReply, EngineInput, PairConfig } from '../../electron/engine/redundancy/engine-types.js';
import { executeEffects } from '../../electron/runtime/host/effect-executor.js';
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

  boot(nowMs: number): void {
    this.boots += 1;
    this.engine = new PairEngine(this.project, this.config, `b${this.boots}`, this.store.stored(), nowMs);
    this.input({ kind: 'link', nowMs, up: true });
  }

  crash(): void {
    this.engine = null;
    this.network.dropTo(this.name);
  }

  input(first: EngineInput): void {
    const engine = this.engine;
    if (!engine) return;
    executeEffects(engine, first, {
      store: this.store,
      peer: { send: (envelope) => (this.network.send(this.name, this.config.peer!, envelope, this.nowMs(first)), true) },
      projectId: this.project.id,
      node: this.name,
      listeners: new Set(),
      reply: (requestId, reply) => this.onReply(this.name, requestId, reply),
      onRole: (role, epoch, server, reason, nowMs) => this.onRole({ node: this.name, atMs: nowMs, role, epoch, server, reason }),
    });
  }

  private nowMs(input: EngineInput): number {
    return 'nowMs' in input ? input.nowMs : 0;
  }
}
