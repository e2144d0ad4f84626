import { describe, expect, it } from 'vitest';
import { formatIssues } from '../project/load-project.js';
import { Op } from './ops.js';

const op = (samples: unknown) => ({ id: 's/1', kind: 'samples', t: 0, driver: 'Sim', through: 0, samples });
const good = { tag: 'A', t: 100, v: 1.5, q: 'good' };

describe('samples ops', () => {
  it('accept a batch of plain samples as it is', () => {
    const samples = [good, { ...good, t: 200, q: 'commError' }];
    expect(Op.parse(op(samples))).toEqual(op(samples));
  });

  it('strip keys a sample does not have, as the Sample schema does', () => {
    expect(Op.parse(op([{ ...good, extra: true }]))).toEqual(op([good]));
  });

  it.each([
    [[good, { ...good, t: -1 }], 'samples[1].t'],
    [[{ ...good, q: 'fine' }], 'samples[0].q'],
    [[{ ...good, tag: '' }], 'samples[0].tag'],
    [[{ ...good, v: Number.POSITIVE_INFINITY }], 'samples[0].v'],
    [[{ ...good, v: '1' }], 'samples[0].v'],
    [[good, null], 'samples[1]'],
    ['not a list', 'samples'],
  ])('name the first wrong sample: %j', (samples, where) => {
    const parsed = Op.safeParse(op(samples), { reportInput: true });
    expect(parsed.success).toBe(false);
    expect(formatIssues(parsed.error!.issues)[0]).toMatch(new RegExp(`^${where.replace(/[[\]]/g, '\\$&')}: `));
  });
});
