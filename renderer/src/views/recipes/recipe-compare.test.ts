import { describe, expect, it } from 'vitest';
import type { RecipeInfo } from '../../../../shared/protocol/api.js';
import type { Sample } from '../../../../shared/protocol/entities.js';
import { editedValues, recipeLines } from './recipe-compare.js';

const RECIPE: RecipeInfo = { id: 'r', name: 'R', description: '', tags: ['A', 'B', 'C'], version: 2, values: { A: 10, B: 0.1, C: 5 }, t: null, user: null };
const sample = (tag: string, v: number): Sample => ({ tag, t: 1, v, q: 'good' });

describe('recipe lines', () => {
  it('compare each value with the live one, float noise counting as equal, a missing live value as different', () => {
    const live = new Map([['A', sample('A', 10)], ['B', sample('B', 0.1 + 1e-12)]]);
    expect(recipeLines(RECIPE, {}, live).map((line) => [line.tag, line.differs])).toEqual([['A', false], ['B', false], ['C', true]]);
    expect(recipeLines(RECIPE, {}, new Map([['A', sample('A', 11)]]))[0]!.differs).toBe(true);
  });

  it('save only the lines whose typed value changed, and name a line that is not a number', () => {
    expect(editedValues(recipeLines(RECIPE, { A: '12', B: '0.1' }, new Map()))).toEqual({ values: { A: 12 } });
    expect(editedValues(recipeLines(RECIPE, { C: 'warm' }, new Map()))).toEqual({ error: 'C: "warm" is not a number' });
    expect(editedValues(recipeLines(RECIPE, { C: ' ' }, new Map()))).toEqual({ error: 'C: " " is not a number' });
  });
});
