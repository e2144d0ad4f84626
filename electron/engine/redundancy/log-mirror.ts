import type { ProcessorInit } from '../project/project-processor.js';
import type { AlarmStatus, Sample } from '../../../shared/protocol/entities.js';
import type { LoggedOp, PairSettings, RecipeVersion } from '../../../shared/protocol/ops.js';
import { isNewerVersion } from '../../../shared/domain/versioned-record.js';
import { isNewerUser, type UserRecord } from '../../../shared/domain/user-role.js';
import type { StoredState, UnfinishedWrite } from './engine-types.js';

/**
 * What a node must know of its log to start serving at any moment, kept up to date from every op it
 * stores (its own or replicated): the alarm states, the last archived sample of each tag, how far
 * each driver's timeline was processed (the Standby replays its buffer after that), the current
 * recipe versions, the pair's role settings, the users and the write commands still without an outcome.
 */
export class LogMirror {
  readonly alarms = new Map<string, AlarmStatus>();
  readonly lastArchived = new Map<string, Sample>();
  readonly processedThrough = new Map<string, number>();
  readonly recipes = new Map<string, RecipeVersion>();
  readonly unfinishedWrites = new Map<string, UnfinishedWrite>();
  /** The pair's role settings as last logged; null until an operator changes one (the cluster document's hold). */
  pairSettings: PairSettings | null;
  readonly users = new Map<string, UserRecord>();

  constructor(stored: StoredState) {
    this.pairSettings = stored.pairSettings;
    for (const version of stored.recipes) this.recordRecipe(version);
    for (const user of stored.users) this.recordUser(user);
    for (const write of stored.unfinishedWrites) this.unfinishedWrites.set(write.requestId, write);
    for (const status of stored.alarms) this.alarms.set(status.alarmId, status);
    for (const sample of stored.lastArchived) this.lastArchived.set(sample.tag, sample);
    for (const [driver, t] of stored.processedThrough) this.processedThrough.set(driver, t);
  }

  stored(op: LoggedOp): void {
    if (op.kind === 'pairSettings') {
      if (isNewerVersion(op.settings, this.pairSettings)) this.pairSettings = op.settings;
    } else if (op.kind === 'recipe') {
      this.recordRecipe(op.recipe);
    } else if (op.kind === 'user') {
      this.recordUser(op.user);
    } else if (op.kind === 'command' && op.command.kind === 'write') {
      this.unfinishedWrites.set(op.requestId, { requestId: op.requestId, user: op.user, command: op.command, t: op.t });
    } else if (op.kind === 'writeResult') {
      this.unfinishedWrites.delete(op.requestId);
    } else if (op.kind === 'alarm') {
      this.alarms.set(op.status.alarmId, op.status);
    } else if (op.kind === 'samples') {
      this.processedThrough.set(op.driver, Math.max(this.processedThrough.get(op.driver) ?? -Infinity, op.through));
      for (const sample of op.samples) {
        const known = this.lastArchived.get(sample.tag);
        if (!known || known.t < sample.t) this.lastArchived.set(sample.tag, sample);
      }
    }
  }

  processorState(): Pick<ProcessorInit, 'alarms' | 'lastArchived' | 'recipes' | 'users'> {
    return { alarms: [...this.alarms.values()], lastArchived: [...this.lastArchived.values()], recipes: [...this.recipes.values()], users: [...this.users.values()] };
  }

  private recordUser(user: UserRecord): void {
    if (isNewerUser(user, this.users.get(user.name))) this.users.set(user.name, user);
  }

  private recordRecipe(version: RecipeVersion): void {
    if (isNewerVersion(version, this.recipes.get(version.recipeId))) this.recipes.set(version.recipeId, version);
  }
}
