import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CEL_PAGE_MAX, type CelQuery } from '../../../shared/protocol/api.js';
import type { CelEntry } from '../../../shared/protocol/entities.js';
import type { CelFact, Op } from '../../../shared/protocol/ops.js';
import { ProjectStore } from './project-store.js';

const T0 = 1_700_000_000_000;

let dataDir: string;
let store: ProjectStore;
beforeEach(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-cel-'));
  store = ProjectStore.open(dataDir, 'p');
});
afterEach(() => {
  store.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

function celOp(n: number, fields: Partial<CelFact> = {}): Op {
  const id = `cel/${n}`;
  const t = T0 + n * 1000;
  const cel: CelFact = { id, t, node: 'node-a', kind: 'system', user: null, text: `event ${n}`, alarmId: null, tag: null, state: null };
  return { id, kind: 'cel', t, cel: { ...cel, ...fields } };
}

/** Logs n CEL entries with a samples op between each, so their seqs have gaps as in a real log. */
function logEntries(count: number, fields: (n: number) => Partial<CelFact> = () => ({})): void {
  const ops: Op[] = [];
  for (let n = 1; n <= count; n++) {
    ops.push(celOp(n, fields(n)));
    ops.push({ id: `s/${n}`, kind: 'samples', t: T0, driver: 'Sim', through: T0 + n, samples: [{ tag: 'T1', t: T0 + n, v: n, q: 'good' }] });
  }
  store.append(ops, 0);
}

function query(q: Partial<CelQuery>): ReturnType<ProjectStore['queryCel']> {
  return store.queryCel({ limit: 200, ...q });
}

/** Follows `next` cursors to the end and returns the ids seen, page by page. */
function pageThrough(first: Partial<CelQuery>, cursor: 'after' | 'before'): string[][] {
  const pages: string[][] = [];
  let page = query(first);
  pages.push(page.entries.map((e) => e.id));
  while (page.next !== null && pages.length < 100) {
    page = query({ ...first, [cursor]: page.next });
    pages.push(page.entries.map((e) => e.id));
  }
  return pages;
}

const ids = (from: number, to: number): string[] => {
  const step = from <= to ? 1 : -1;
  return Array.from({ length: Math.abs(to - from) + 1 }, (_, i) => `cel/${from + i * step}`);
};

describe('CEL pages', () => {
  it('come newest first and page back through `before` without gaps or repeats', () => {
    logEntries(7);
    expect(pageThrough({ limit: 3 }, 'before')).toEqual([ids(7, 5), ids(4, 2), ids(1, 1)]);
  });

  it('come oldest first from `after` and page forward to the end', () => {
    logEntries(7);
    const firstSeq = query({ limit: 1, after: 0 }).entries[0]!.seq;
    expect(pageThrough({ limit: 3, after: firstSeq }, 'after')).toEqual([ids(2, 4), ids(5, 7)]);
  });

  it('carry the entry as logged, with the seq of its op', () => {
    logEntries(1, () => ({ kind: 'operator', user: 'operator1', tag: 'Boiler.Pressure', text: 'setpoint 12 bar' }));
    const expected: CelEntry = {
      id: 'cel/1',
      seq: 1,
      t: T0 + 1000,
      node: 'node-a',
      kind: 'operator',
      user: 'operator1',
      text: 'setpoint 12 bar',
      alarmId: null,
      tag: 'Boiler.Pressure',
      state: null,
    };
    expect(query({}).entries).toEqual([expected]);
  });

  it(`hold at most ${CEL_PAGE_MAX} entries whatever limit is asked for`, () => {
    logEntries(CEL_PAGE_MAX + 5);
    const page = store.queryCel({ limit: CEL_PAGE_MAX * 5 });
    expect(page.entries).toHaveLength(CEL_PAGE_MAX);
    expect(page.next).toBe(page.entries.at(-1)!.seq);
  });
});

describe('CEL filters', () => {
  beforeEach(() => {
    logEntries(12, (n) => {
      if (n % 3 === 0) return { kind: 'alarm', alarmId: `Boiler.P${n}.HH`, tag: `Boiler.P${n}`, text: 'Pressure high', state: 'unackActive' };
      if (n % 3 === 1) return { kind: 'operator', user: n === 4 ? 'MAYER' : 'schmidt', text: `Acknowledged 50%_done ${n}` };
      return { text: `Station ${n} connected` };
    });
  });

  it('select one kind, paging within it', () => {
    expect(pageThrough({ kind: 'alarm', limit: 3 }, 'before')).toEqual([['cel/12', 'cel/9', 'cel/6'], ['cel/3']]);
  });

  it('match text, alarm id, tag or user, ignoring case', () => {
    expect(query({ text: 'PRESSURE' }).entries.map((e) => e.id)).toEqual(['cel/12', 'cel/9', 'cel/6', 'cel/3']);
    expect(query({ text: 'p9.hh' }).entries.map((e) => e.id)).toEqual(['cel/9']);
    expect(query({ text: 'mayer' }).entries.map((e) => e.id)).toEqual(['cel/4']);
    expect(query({ text: 'station 1' }).entries.map((e) => e.id)).toEqual(['cel/11']);
  });

  it('take % and _ in the text literally', () => {
    expect(query({ text: '50%_d' }).entries).toHaveLength(4);
    expect(query({ text: '5_%' }).entries).toEqual([]);
    expect(query({ text: '%' }).entries).toHaveLength(4);
  });

  it('restrict to a time range, inclusive, in both directions', () => {
    const range = { from: T0 + 4000, to: T0 + 8000 };
    expect(query(range).entries.map((e) => e.id)).toEqual(ids(8, 4));
    expect(query({ ...range, after: 0 }).entries.map((e) => e.id)).toEqual(ids(4, 8));
  });

  it('combine with each other', () => {
    const page = query({ kind: 'operator', text: 'schmidt', from: T0 + 5000, limit: 1 });
    expect(page.entries.map((e) => e.id)).toEqual(['cel/10']);
    expect(query({ kind: 'operator', text: 'schmidt', from: T0 + 5000, before: page.next! }).entries.map((e) => e.id)).toEqual([
      'cel/7',
    ]);
  });
});
