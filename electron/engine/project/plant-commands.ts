import type { TagDef } from '../../../shared/project/project-schema.js';
import type { Sample } from '../../../shared/protocol/entities.js';
import type { OperatorCommand, RecipeVersion, TagWrite } from '../../../shared/protocol/ops.js';
import type { RecipeBook } from './recipe-book.js';

export type WriteCommand = Extract<OperatorCommand, { kind: 'write' }>;
export type RecipeCommand = Extract<OperatorCommand, { kind: 'recipe' }>;

export type Refusal = { ok: false; code: 'notFound' | 'conflict' | 'invalid'; message: string };

/**
 * Checks a write command and resolves a recipe download into the values it writes. The answer is
 * the command as it is logged: every value explicit, so whichever node executes it writes the same.
 */
export function resolveWrite(command: WriteCommand, tags: ReadonlyMap<string, TagDef>, recipes: RecipeBook): { ok: true; command: WriteCommand } | Refusal {
  let { writes } = command;
  let recipe = command.recipe;
  if (recipe) {
    const current = recipes.get(recipe.id);
    if (!current) return { ok: false, code: 'notFound', message: `there is no recipe "${recipe.id}"` };
    if (recipe.version !== null && recipe.version !== current.version) {
      return { ok: false, code: 'conflict', message: `recipe "${recipe.id}" is at version ${current.version}, not ${recipe.version}: look at the new values before you download` };
    }
    recipe = { id: current.recipeId, version: current.version };
    writes = Object.entries(current.values).map(([tag, value]) => ({ tag, value }));
  }
  if (writes.length === 0) return { ok: false, code: 'invalid', message: 'nothing to write: give at least one tag and value' };
  for (const write of writes) {
    const problem = writeProblem(write, tags);
    if (problem) return problem;
  }
  return { ok: true, command: { ...command, writes, recipe } };
}

/**
 * Checks a recipe edit and makes its next version. `values` null uploads: the live values of the
 * recipe's tags, which must all read good. Tags the edit leaves out keep their values.
 */
export function resolveRecipe(
  command: RecipeCommand,
  context: { tags: ReadonlyMap<string, TagDef>; recipes: RecipeBook; latest: ReadonlyMap<string, Sample>; user: string; t: number },
): { ok: true; command: RecipeCommand; version: RecipeVersion } | Refusal {
  const { tags, recipes, latest } = context;
  const current = recipes.get(command.recipeId);
  const def = recipes.def(command.recipeId);
  if (!current || !def) return { ok: false, code: 'notFound', message: `there is no recipe "${command.recipeId}"` };
  if (command.baseVersion !== current.version) {
    return { ok: false, code: 'conflict', message: `recipe "${def.name}" was changed to version ${current.version} by ${current.user ?? 'the project file'} since you opened version ${command.baseVersion}; reload it and edit again` };
  }
  const recipeTags = Object.keys(def.values);
  let values: Record<string, number>;
  if (command.values === null) {
    values = {};
    for (const tag of recipeTags) {
      const sample = latest.get(tag);
      if (!sample || sample.q !== 'good') return { ok: false, code: 'conflict', message: `cannot upload: tag ${tag} has no good live value (${sample ? sample.q : 'nothing read yet'})` };
      values[tag] = sample.v;
    }
  } else {
    const stranger = Object.keys(command.values).find((tag) => !recipeTags.includes(tag));
    if (stranger !== undefined) return { ok: false, code: 'invalid', message: `recipe "${def.name}" has no tag "${stranger}"; its tags are ${recipeTags.join(', ')}` };
    values = { ...current.values, ...command.values };
  }
  for (const [tag, value] of Object.entries(values)) {
    const problem = writeProblem({ tag, value }, tags);
    if (problem) return problem;
  }
  const version: RecipeVersion = { recipeId: def.id, version: current.version + 1, values, t: context.t, user: context.user };
  return { ok: true, command: { ...command, values }, version };
}

function writeProblem({ tag: tagId, value }: TagWrite, tags: ReadonlyMap<string, TagDef>): Refusal | null {
  const tag = tags.get(tagId);
  if (!tag) return { ok: false, code: 'notFound', message: `there is no tag "${tagId}"` };
  if (!tag.writable) return { ok: false, code: 'invalid', message: `tag ${tagId} is not writable (the project does not mark it "writable")` };
  if (!Number.isFinite(value)) return { ok: false, code: 'invalid', message: `${tagId}: ${value} is not a finite number` };
  if (tag.type === 'boolean' && value !== 0 && value !== 1) return { ok: false, code: 'invalid', message: `${tagId} is boolean: write 0 or 1, not ${value}` };
  const range = tag.writeRange;
  if (range && (value < range.min || value > range.max)) {
    return { ok: false, code: 'invalid', message: `${tagId}: ${value} is outside its write range ${range.min} to ${range.max}${tag.unit ? ` ${tag.unit}` : ''}` };
  }
  return null;
}
