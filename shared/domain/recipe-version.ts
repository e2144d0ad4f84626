import type { RecipeDef } from '../project/project-schema.js';
import type { RecipeVersion } from '../protocol/ops.js';

/**
 * Which of two versions of a recipe is current: the higher version number, then the later time,
 * then the user name. Two nodes that hold the same versions agree whatever order they came in,
 * including two edits of one base version made on both sides of a split.
 */
export function isNewerRecipe(candidate: RecipeVersion, current: RecipeVersion | undefined): boolean {
  if (!current) return true;
  if (candidate.version !== current.version) return candidate.version > current.version;
  if (candidate.t !== current.t) return candidate.t > current.t;
  return (candidate.user ?? '') > (current.user ?? '');
}

/** Version 0 of a recipe: the values the project file gives it. */
export function projectRecipe(def: RecipeDef): RecipeVersion {
  return { recipeId: def.id, version: 0, values: def.values, t: 0, user: null };
}
