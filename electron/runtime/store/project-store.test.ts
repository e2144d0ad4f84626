import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AlarmState, AlarmStatus, Sample } from '../../../shared/protocol/entities.js';
import { alarmOpId, commandOpId, type AlarmTransition, type Op } from '../../../shared/protocol/ops.js';
import { ProjectStore } from './project-store.js';

const T0 = 1_700_000_000_000;

let dataDir: string;
const opened: ProjectStore[] = [];
beforeEach(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-store-'));
});
afterEach(() => {
  opened.splice(0).forEach((store) => store.close());
  fs.rmSync(dataDir, { recursive: true, force: true });
});

function open(projectId = 'p'): ProjectStore {
  const store = ProjectStore.open(dataDir, projectId);
  opened.push(store);
  return store;
}

function reopen(store: ProjectStore, projectId = 'p'): ProjectStore {
  opened.splice(opened.indexOf(store), 1);
  store.close();
  return open(projectId);
}

function sample(tag: string, step: number, v = step): Sample {
  return { tag, t: T0 + step * 100, v, q: 'good' };
}

function samplesOp(id: string, samples: Sample[]): Op {
  return { id, kind: 'samples', t: samples[0]?.t ?? T0, driver: 'Sim', through: samples.at(-1)?.t ?? T0, samples };
}

function celOp(n: number): Op {
  const id = `cel/${n}`;
  const t = T0 + n * 1000;
  return {
    id,
    kind: 'cel',
    t,
    cel: { id, t, node: 'node-a', kind: 'system', user: null, text: `event ${n}`, alarmId: null, tag: null, state: null },
  };
}

function alarmOp(alarmId: string, step: number, to: AlarmState): Op {
  const t = T0 + step * 1000;
  const transition: AlarmTransition = { alarmId, t, from: 'normal', to, cause: 'process', value: 90, user: null, comment: null };
  const status: AlarmStatus = {
    alarmId,
    tag: 'Boiler.Pressure',
    text: `${alarmId} high`,
    priority: 'high',
    alarmClass: 'process',
    state: to,
    conditionActive: to === 'unackActive' || to === 'ackActive',
    since: t,
    activeSince: t,
    value: 90,
    ackUser: null,
    ackComment: null,
    shelvedUntil: null,
  };
  const id = alarmOpId(transition);
  const cel = { id, t, node: 'node-a', kind: 'alarm' as const, user: null, text: status.text, alarmId, tag: status.tag, state: to };
  return { id, kind: 'alarm', t, transition, status, cel };
}

function commandOp(requestId: string): Op {
  return {
    id: commandOpId(requestId),
    kind: 'command',
    t: T0,
    requestId,
    user: 'operator1',
    command: { kind: 'ack', alarmIds: ['A1'], comment: 'seen' },
  };
}

/** Samples of 5 tags over 600 steps: more than one multi-row INSERT per op. */
const manySamples = Array.from({ length: 3000 }, (_, i) => sample(`Tag${i % 5}`, Math.floor(i / 5), i / 7));
const otherFacts: Op[] = [
  ...Array.from({ length: 10 }, (_, i) => celOp(i)),
  alarmOp('A1', 1, 'unackActive'),
  alarmOp('A1', 2, 'ackActive'),
  alarmOp('A2', 3, 'unackActive'),
  commandOp('req-000001'),
  commandOp('req-000002'),
];

describe('ProjectStore.append', () => {
  it('logs new ops at consecutive seqs and returns them with their position', () => {
    const store = open();
    const logged = store.append([celOp(1), samplesOp('s/1', [sample('T1', 1)]), commandOp('req-000001')], 0);
    expect(logged.map((op) => [op.id, op.epoch, op.seq])).toEqual([
      ['cel/1', 0, 1],
      ['s/1', 0, 2],
      ['cmd/req-000001', 0, 3],
    ]);
    expect(logged[0]).toEqual({ ...celOp(1), epoch: 0, seq: 1 });
    expect(store.position()).toEqual({ epoch: 0, seq: 3 });
  });

  it('skips ops already logged, so a replay changes nothing', () => {
    const store = open();
    store.append([celOp(1), samplesOp('s/1', manySamples)], 0);
    const hash = store.stateHash();
    expect(store.append([celOp(1), samplesOp('s/1', manySamples)], 0)).toEqual([]);
    expect(store.stateHash()).toBe(hash);
    expect(store.position()).toEqual({ epoch: 0, seq: 2 });
    const logged = store.append([celOp(2), celOp(2), celOp(1)], 0);
    expect(logged.map((op) => [op.id, op.seq])).toEqual([['cel/2', 3]]);
  });

  it('logs a new batch of samples already archived, without counting them again', () => {
    const store = open();
    store.append([samplesOp('s/1', manySamples)], 0);
    const hash = store.stateHash();
    expect(store.append([samplesOp('s/resent', manySamples)], 0).map((op) => op.seq)).toEqual([2]);
    expect(store.stateHash()).toBe(hash);
    expect(store.queryArchive({ tag: 'Tag0', from: 0, to: T0 * 2 }).samples).toHaveLength(manySamples.length / 5);
  });

  it('keeps the first value of a sample slot and counts only stored samples in the hash', () => {
    const store = open();
    store.append([samplesOp('s/1', [sample('T1', 1, 10)])], 0);
    store.append([samplesOp('s/2', [sample('T1', 1, 99), sample('T1', 2, 20)])], 0);
    expect(store.queryArchive({ tag: 'T1', from: 0, to: T0 * 2 }).samples.map((s) => s.v)).toEqual([10, 20]);
    const reference = open('reference');
    reference.append([samplesOp('other-batch', [sample('T1', 2, 20), sample('T1', 1, 10)])], 0);
    expect(store.stateHash()).toBe(reference.stateHash());
  });

  it('gives two stores fed the same facts in other orders and batches the same hash', () => {
    const inOrder = open('in-order');
    inOrder.append([samplesOp('a/all', manySamples), ...otherFacts], 0);
    const shuffled = open('shuffled');
    const reversed = [...manySamples].reverse();
    for (let start = 0; start < reversed.length; start += 737) {
      // Overlapping batches with their own op ids: the same samples arrive twice.
      shuffled.append([samplesOp(`b/${start}`, reversed.slice(Math.max(0, start - 300), start + 737))], 0);
      shuffled.append([otherFacts[(start / 737) % otherFacts.length]!], 0);
    }
    shuffled.append([...otherFacts].reverse(), 0);
    expect(shuffled.stateHash()).toBe(inOrder.stateHash());
    const missingOne = open('missing-one');
    missingOne.append([samplesOp('c/all', manySamples.slice(1)), ...otherFacts], 0);
    expect(missingOne.stateHash()).not.toBe(inOrder.stateHash());
    expect(open('empty').stateHash()).not.toBe(inOrder.stateHash());
  });

  it('leaves nothing behind when an append fails half-way', () => {
    const store = open();
    store.append([celOp(1)], 0);
    const hash = store.stateHash();
    const broken = samplesOp('s/bad', [sample('NewTag', 1), sample('NewTag', 2, Number.NaN)]);
    expect(() => store.append([celOp(2), broken], 0)).toThrow();
    expect(store.position()).toEqual({ epoch: 0, seq: 1 });
    expect(store.stateHash()).toBe(hash);
    expect(store.opsAfter(0, 10).map((op) => op.id)).toEqual(['cel/1']);
    expect(store.append([celOp(2), samplesOp('s/good', [sample('NewTag', 1)])], 0)).toHaveLength(2);
    expect(store.lastSamples()).toEqual([sample('NewTag', 1)]);
  });
});

describe('ProjectStore epochs', () => {
  it('refuses to log at an epoch it has not persisted, or below the epoch of the last op', () => {
    const store = open();
    expect(() => store.append([celOp(1)], 1)).toThrow('setEpoch first');
    store.setEpoch(2);
    store.append([celOp(1)], 2);
    store.setEpoch(3);
    expect(() => store.append([celOp(2)], 1)).toThrow('positions only grow');
    expect(() => store.setEpoch(2)).toThrow('epochs only grow');
    expect(store.position()).toEqual({ epoch: 3, seq: 1 });
  });
});

describe('ProjectStore across restarts', () => {
  it('keeps ops, position, hash and views after close and reopen', () => {
    let store = open();
    store.append([samplesOp('s/1', manySamples), ...otherFacts], 0);
    store.setEpoch(4);
    store.append([celOp(50)], 4);
    const before = {
      position: store.position(),
      hash: store.stateHash(),
      ops: store.opsAfter(0, 100),
      alarms: store.alarms(),
      lastSamples: store.lastSamples(),
    };
    store = reopen(store);
    expect(store.position()).toEqual({ epoch: 4, seq: 17 });
    expect({
      position: store.position(),
      hash: store.stateHash(),
      ops: store.opsAfter(0, 100),
      alarms: store.alarms(),
      lastSamples: store.lastSamples(),
    }).toEqual(before);
    expect(store.append([celOp(1), samplesOp('s/1', manySamples)], 4)).toEqual([]);
    expect(store.append([celOp(51)], 4).map((op) => op.seq)).toEqual([18]);
  });
});

describe('ProjectStore views', () => {
  it('holds the latest status of each alarm and a CEL entry per transition', () => {
    const store = open();
    store.append(otherFacts, 0);
    expect(store.alarms().map((a) => [a.alarmId, a.state])).toEqual([
      ['A1', 'ackActive'],
      ['A2', 'unackActive'],
    ]);
    expect(store.alarm('A1')).toEqual((alarmOp('A1', 2, 'ackActive') as Extract<Op, { kind: 'alarm' }>).status);
    expect(store.alarm('missing')).toBeUndefined();
    const alarmEntries = store.queryCel({ kind: 'alarm', limit: 10 }).entries;
    expect(alarmEntries.map((e) => [e.alarmId, e.state, e.seq])).toEqual([
      ['A2', 'unackActive', 13],
      ['A1', 'ackActive', 12],
      ['A1', 'unackActive', 11],
    ]);
  });

  it('finds a logged command by its request id', () => {
    const store = open();
    store.append(otherFacts, 0);
    expect(store.command('req-000002')).toEqual({ seq: 15, op: commandOp('req-000002') });
    expect(store.command('req-unknown')).toBeUndefined();
  });

  it('gives the newest sample of each tag by time, whatever order they were logged in', () => {
    const store = open();
    store.append([samplesOp('s/new', [sample('T1', 9), sample('T2', 5, 1.5)])], 0);
    store.append([samplesOp('s/old', [sample('T1', 3), sample('T2', 4), { ...sample('T3', 1), q: 'commError' }])], 0);
    expect(store.lastSamples()).toEqual([sample('T1', 9), sample('T2', 5, 1.5), { ...sample('T3', 1), q: 'commError' }]);
  });
});

describe('ProjectStore.opsAfter', () => {
  it('returns logged ops after a seq, oldest first, at most the limit asked for', () => {
    const store = open();
    const logged = store.append(otherFacts, 0);
    expect(store.opsAfter(3, 4)).toEqual(logged.slice(3, 7));
    expect(store.opsAfter(0, 1000)).toEqual(logged);
    expect(store.opsAfter(logged.length, 10)).toEqual([]);
  });
});
