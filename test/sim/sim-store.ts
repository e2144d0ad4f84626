import { StateDigest } from '../../shared/domain/state-digest.js';
import type { AlarmStatus, Sample } from '../../shared/protocol/entities.js';
import { isNewerVersion } from '../../shared/domain/versioned-record.js';
import type { LoggedOp, Op, PairSettings, RecipeVersion, WriteOutcome } from '../../shared/protocol/ops.js';
import type { StoredState, UnfinishedWrite } from '../../electron/engine/redundancy/engine-types.js';

/**
 * The durable state of one simulated node: the same contract as the SQLite ProjectStore (append skips
 * known ids, replicated ops keep their positions, the digest covers facts), kept in memory so a
 * simulation runs thousands of seeds. Everything stored is durable: a crash loses only the engine.
 */
export class SimStore {
  epoch = 0;
  readonly log: LoggedOp[] = [];
  private readonly ids = new Set<string>();
  readonly samples = new Map<string, Sample>();
  readonly alarms = new Map<string, AlarmStatus>();
  readonly commands = new Set<string>();
  private readonly progress = new Map<string, number>();
  private readonly digest = new StateDigest();

  get seq(): number {
    return this.log.at(-1)?.seq ?? 0;
  }

  setEpoch(epoch: number): void {
    if (epoch < this.epoch) throw new Error(`epoch went back from ${this.epoch} to ${epoch}`);
    this.epoch = epoch;
  }

  position(): { epoch: number; seq: number } {
    return { epoch: this.epoch, seq: this.seq };
  }

  stored(): StoredState {
    const last = new Map<string, Sample>();
    for (const sample of this.samples.values()) {
      const known = last.get(sample.tag);
      if (!known || known.t < sample.t) last.set(sample.tag, sample);
    }
    const recipes = new Map<string, RecipeVersion>();
    const unfinishedWrites = new Map<string, UnfinishedWrite>();
    let pairSettings: PairSettings | null = null;
    for (const op of this.log) {
      if (op.kind === 'pairSettings' && isNewerVersion(op.settings, pairSettings)) pairSettings = op.settings;
      if (op.kind === 'recipe' && isNewerVersion(op.recipe, recipes.get(op.recipe.recipeId))) recipes.set(op.recipe.recipeId, op.recipe);
      if (op.kind === 'command' && op.command.kind === 'write') unfinishedWrites.set(op.requestId, { requestId: op.requestId, user: op.user, command: op.command, t: op.t });
      if (op.kind === 'writeResult') unfinishedWrites.delete(op.requestId);
    }
    return {
      epoch: this.epoch,
      seq: this.seq,
      epochStarts: this.epochStarts(),
      alarms: [...this.alarms.values()],
      lastArchived: [...last.values()],
      processedThrough: new Map(this.progress),
      recipes: [...recipes.values()],
      users: [],
      unfinishedWrites: [...unfinishedWrites.values()],
      pairSettings,
    };
  }

  append(ops: readonly Op[], epoch: number): LoggedOp[] {
    if (epoch > this.epoch) throw new Error(`append at epoch ${epoch} ahead of stored epoch ${this.epoch}`);
    const logged: LoggedOp[] = [];
    for (const op of ops) {
      if (this.ids.has(op.id)) continue;
      const entry = { ...op, epoch, seq: this.seq + 1 } as LoggedOp;
      this.apply(entry);
      logged.push(entry);
    }
    return logged;
  }

  appendReplicated(ops: readonly LoggedOp[]): LoggedOp[] {
    for (const op of ops) {
      if (op.seq !== this.seq + 1) throw new Error(`replicated op at seq ${op.seq} does not follow ${this.seq}`);
      if (this.ids.has(op.id)) throw new Error(`replicated op ${op.id} already logged elsewhere: the logs diverged`);
      if (op.epoch > this.epoch) throw new Error(`replicated op of epoch ${op.epoch} ahead of stored epoch ${this.epoch}`);
      this.apply(op);
    }
    return [...ops];
  }

  private epochStarts(): Array<{ epoch: number; seq: number }> {
    const starts: Array<{ epoch: number; seq: number }> = [];
    for (const op of this.log) if (starts.at(-1)?.epoch !== op.epoch) starts.push({ epoch: op.epoch, seq: op.seq });
    return starts;
  }

  /** Drops the log after `seq`; the facts stay in the views, their ids leave the log (and the digest). */
  truncateAfter(seq: number): void {
    while (this.log.length > 0 && this.log.at(-1)!.seq > seq) {
      const op = this.log.pop()!;
      this.ids.delete(op.id);
      if (op.kind === 'command') this.commands.delete(op.requestId);
      if (op.kind !== 'samples') this.digest.remove(op.id);
    }
  }

  opsAfter(seq: number, limit: number): LoggedOp[] {
    return this.log.filter((op) => op.seq > seq).slice(0, limit);
  }

  /** What the log says became of a write command (null: no outcome logged). */
  writeOutcomes(requestId: string): WriteOutcome[] | null {
    const op = this.log.find((o) => o.kind === 'writeResult' && o.requestId === requestId);
    return op?.kind === 'writeResult' ? op.outcomes : null;
  }

  stateHash(): string {
    return this.digest.toHex();
  }

  private apply(op: LoggedOp): void {
    this.log.push(op);
    this.ids.add(op.id);
    switch (op.kind) {
      case 'samples':
        for (const sample of op.samples) {
          const key = `${sample.tag}|${sample.t}`;
          if (this.samples.has(key)) continue;
          this.samples.set(key, sample);
          this.digest.addSample(sample);
        }
        this.progress.set(op.driver, Math.max(this.progress.get(op.driver) ?? -Infinity, op.through));
        return;
      case 'alarm':
        this.alarms.set(op.status.alarmId, op.status);
        break;
      case 'command':
        this.commands.add(op.requestId);
        break;
      case 'cel':
      case 'writeResult':
      case 'recipe':
      case 'pairSettings':
      case 'roleChange':
        break;
    }
    this.digest.add(op.id);
  }
}
