import type { RecipeDef } from '../../../shared/project/project-schema.js';
import type { RecipeVersion } from '../../../shared/protocol/ops.js';
import { isNewerVersion } from '../../../shared/domain/versioned-record.js';

/** The current version of every recipe of a project: the project file's values until one is saved. */
export class RecipeBook {
  private readonly current = new Map<string, RecipeVersion>();
  private readonly defs: ReadonlyMap<string, RecipeDef>;

  constructor(defs: readonly RecipeDef[], stored: Iterable<RecipeVersion>) {
    this.defs = new Map(defs.map((def) => [def.id, def]));
    for (const def of defs) this.current.set(def.id, projectRecipe(def));
    for (const version of stored) this.record(version);
  }

  def(recipeId: string): RecipeDef | undefined {
    return this.defs.get(recipeId);
  }

  get(recipeId: string): RecipeVersion | undefined {
    return this.current.get(recipeId);
  }

  /** Keeps the version if it is newer than the one held (recipes the project no longer declares are ignored). */
  record(version: RecipeVersion): void {
    if (!this.defs.has(version.recipeId)) return;
    if (isNewerVersion(version, this.current.get(version.recipeId))) this.current.set(version.recipeId, version);
  }

  all(): RecipeVersion[] {
    return [...this.current.values()];
  }
}

/** Version 0 of a recipe: the values the project file gives it. */
function projectRecipe(def: RecipeDef): RecipeVersion {
  return { recipeId: def.id, version: 0, values: def.values, t: 0, user: null };
}
