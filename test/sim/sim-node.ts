import { PairEngine } from '../../electron/engine/redundancy/pair-engine.js';
import type { CommandReply, EngineInput, PairConfig } from '../../electron/engine/redundancy/engine-types.js';
import { APPEND_OPS_MAX } from '../../shared/protocol/peer.js';
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
 * A simulated node: the real PairEngine, a SimStore, and a host loop that executes the engine's
 * effects in order, as the runtime does (persist first, then feed the result back as an input).
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
    const queue: EngineInput[] = [first];
    let guard = 0;
    while (queue.length > 0) {
      if (++guard > 10_000) throw new Error(`${this.name}: effect loop did not settle`);
      const input = queue.shift()!;
      const nowMs = 'nowMs' in input ? input.nowMs : 0;
      for (const effect of engine.step(input)) {
        switch (effect.kind) {
          case 'persistEpoch':
            if (effect.epoch < this.store.epoch) throw new Error(`${this.name}: epoch went back from ${this.store.epoch} to ${effect.epoch}`);
            this.store.epoch = effect.epoch;
            break;
          case 'append':
            queue.push({ kind: 'persisted', nowMs, ops: this.store.append(effect.ops, effect.epoch) });
            break;
          case 'appendReplicated':
            queue.push({ kind: 'persisted', nowMs, ops: this.store.appendReplicated(effect.ops) });
            break;
          case 'send':
            this.network.send(this.name, this.config.peer, { project: this.project.id, from: this.name, epoch: effect.epoch, message: effect.message }, nowMs);
            break;
          case 'shipFrom': {
            const ops = this.store.opsAfter(effect.seq, APPEND_OPS_MAX);
            const message = { type: 'append' as const, prevSeq: effect.seq, ops };
            this.network.send(this.name, this.config.peer, { project: this.project.id, from: this.name, epoch: effect.epoch, message }, nowMs);
            break;
          }
          case 'truncateAfter':
            this.store.truncateAfter(effect.seq);
            break;
          case 'handBack': {
            const ops = this.store.opsAfter(effect.seq, APPEND_OPS_MAX);
            const message = { type: 'handback' as const, fromSeq: effect.seq, ops };
            this.network.send(this.name, this.config.peer, { project: this.project.id, from: this.name, epoch: effect.epoch, message }, nowMs);
            break;
          }
          case 'role':
            this.onRole({ node: this.name, atMs: nowMs, role: effect.role, epoch: effect.epoch, server: effect.server, reason: effect.reason });
            break;
          case 'reply':
            this.onReply(this.name, effect.requestId, effect.reply);
            break;
          case 'publish':
          case 'values':
            break;
        }
      }
    }
  }
}
