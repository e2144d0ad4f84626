import type { RecipeInfo } from '../../../../shared/protocol/api.js';
import type { Sample } from '../../../../shared/protocol/entities.js';

/** One line of the recipe table: the recipe's value, what the operator typed, and the live value. */
export interface RecipeLine {
  tag: string;
  recipe: number;
  /** The edited value as typed; null while the line is not edited. */
  edited: string | null;
  /** The typed value, if it is a number. */
  editedValue: number | null;
  live: Sample | null;
  /** The live value differs from the recipe's (a download would change the plant). */
  differs: boolean;
}

/** Values closer than this count as equal when compared with the plant (floats read back from PLCs). */
const EQUAL_WITHIN = 1e-6;

export function recipeLines(recipe: RecipeInfo, edits: Readonly<Record<string, string>>, live: ReadonlyMap<string, Sample>): RecipeLine[] {
  return recipe.tags.map((tag) => {
    const value = recipe.values[tag] ?? NaN;
    const edited = edits[tag] ?? null;
    const parsed = edited === null || edited.trim() === '' ? null : Number(edited);
    const sample = live.get(tag) ?? null;
    return {
      tag,
      recipe: value,
      edited,
      editedValue: parsed !== null && Number.isFinite(parsed) ? parsed : null,
      live: sample,
      differs: sample === null || Math.abs(sample.v - value) > EQUAL_WITHIN * Math.max(1, Math.abs(value)),
    };
  });
}

/** The values an edit saves (changed lines only), or the reason it cannot be saved. */
export function editedValues(lines: readonly RecipeLine[]): { values: Record<string, number> } | { error: string } {
  const values: Record<string, number> = {};
  for (const line of lines) {
    if (line.edited === null) continue;
    if (line.editedValue === null) return { error: `${line.tag}: "${line.edited}" is not a number` };
    if (line.editedValue !== line.recipe) values[line.tag] = line.editedValue;
  }
  return { values };
}
