import { beforeEach, describe, expect, it } from 'vitest';
import type { ServerMessage } from '../../../shared/protocol/ws.js';
import { resetStores } from '../reset-stores.js';
import { alarm, celEntry } from '../test/fixtures.js';
import { addFrame, emptyPending } from './pending-updates.js';
import { applyPending, applySnapshot, projectStore, upsertAlarms } from './project-store.js';

type Snapshot = Extract<ServerMessage, { type: 'snapshot' }>;

function snapshot(overrides: Partial<Snapshot> = {}): Snapshot {
  return {
    type: 'snapshot',
    project: 'demo',
    position: { epoch: 1, seq: 3 },
    server: 'pc-a',
    role: 'standalone',
    tags: [{ id: 'T1', description: '', type: 'number', unit: 'bar', driver: 'sim', archived: true, value: 2.5, t: 10, q: 'good' }],
    alarms: [alarm({ alarmId: 'A1' }), alarm({ alarmId: 'A2', state: 'ackActive' })],
    cel: [celEntry(1), celEntry(2), celEntry(3)],
    resumed: false,
    celTruncated: false,
    ...overrides,
  };
}

const celSeqs = () => projectStore.getState().cel.map((e) => e.seq);

describe('project store', () => {
  beforeEach(resetStores);

  it('counts active and unacknowledged alarms from the snapshot', () => {
    applySnapshot(snapshot());
    const counts = projectStore.getState().alarmCounts;
    expect(counts.active).toBe(2);
    expect(counts.unacknowledged).toBe(1);
    expect(projectStore.getState().values.get('T1')?.v).toBe(2.5);
  });

  it('keeps the newer value it holds when the snapshot of a new Server has none or an older one, within one project', () => {
    const tag = snapshot().tags[0]!;
    applySnapshot(snapshot({ tags: [{ ...tag, value: 7, t: 50 }] }));
    applySnapshot(snapshot({ server: 'pc-b', tags: [{ ...tag, value: null, t: null, q: null }] }));
    expect(projectStore.getState().values.get('T1')).toEqual({ tag: 'T1', t: 50, v: 7, q: 'good' });
    applySnapshot(snapshot({ tags: [{ ...tag, value: 6, t: 40 }] }));
    expect(projectStore.getState().values.get('T1')?.v).toBe(7);
    applySnapshot(snapshot({ tags: [{ ...tag, value: 8, t: 60 }] }));
    expect(projectStore.getState().values.get('T1')?.v).toBe(8);
    // Another project's values never carry over.
    applySnapshot(snapshot({ project: 'other', tags: [{ ...tag, value: null, t: null, q: null }] }));
    expect(projectStore.getState().values.has('T1')).toBe(false);
  });

  it('joins the CEL entries of a resumed snapshot to the held ones without duplicates', () => {
    applySnapshot(snapshot());
    applySnapshot(snapshot({ position: { epoch: 2, seq: 5 }, resumed: true, cel: [celEntry(3), celEntry(4), celEntry(5)] }));
    expect(celSeqs()).toEqual([5, 4, 3, 2, 1]);
    expect(projectStore.getState().position).toEqual({ epoch: 2, seq: 5 });
  });

  it('starts the CEL afresh when the server could not send everything missed', () => {
    applySnapshot(snapshot());
    applySnapshot(snapshot({ cel: [celEntry(900), celEntry(901)], celTruncated: true }));
    expect(celSeqs()).toEqual([901, 900]);
    expect(projectStore.getState().celOlderExists).toBe(true);
  });

  it('applies coalesced live frames: latest value per tag, alarms back to normal leave the list', () => {
    applySnapshot(snapshot());
    const pending = emptyPending();
    addFrame(pending, { type: 'values', project: 'demo', samples: [{ tag: 'T1', t: 11, v: 3, q: 'good' }, { tag: 'T1', t: 12, v: 4, q: 'good' }] });
    addFrame(pending, { type: 'alarms', project: 'demo', position: { epoch: 1, seq: 4 }, alarms: [alarm({ alarmId: 'A2', state: 'normal', since: 2_000 })] });
    addFrame(pending, { type: 'cel', project: 'demo', position: { epoch: 1, seq: 4 }, entries: [celEntry(4)] });
    applyPending(pending);
    const state = projectStore.getState();
    expect(state.values.get('T1')?.v).toBe(4);
    expect([...state.alarms.keys()]).toEqual(['A1']);
    expect(state.alarmCounts.active).toBe(1);
    expect(celSeqs()).toEqual([4, 3, 2, 1]);
    expect(state.position).toEqual({ epoch: 1, seq: 4 });
  });

  it('keeps the CEL whole across a switchover: no gap, no entry twice', () => {
    // Served by pc-a; it sends 6 and 7 live, then dies.
    applySnapshot(snapshot({ position: { epoch: 4, seq: 5 }, cel: [1, 2, 3, 4, 5].map((seq) => celEntry(seq)) }));
    const live = emptyPending();
    addFrame(live, { type: 'cel', project: 'demo', position: { epoch: 4, seq: 7 }, entries: [celEntry(6), celEntry(7)] });
    applyPending(live);
    // The station resumes on the Standby pc-b, which holds everything up to 7 as well.
    applySnapshot(snapshot({ position: { epoch: 4, seq: 7 }, server: 'pc-a', role: 'standby', resumed: true, cel: [] }));
    // pc-b takes over: its first entry arrives live, then the snapshot resumed from 7 repeats it.
    const takeover = emptyPending();
    addFrame(takeover, { type: 'cel', project: 'demo', position: { epoch: 5, seq: 8 }, entries: [celEntry(8, { node: 'pc-b' })] });
    applyPending(takeover);
    applySnapshot(snapshot({ position: { epoch: 5, seq: 9 }, server: 'pc-b', role: 'server', resumed: true, cel: [celEntry(8, { node: 'pc-b' }), celEntry(9, { node: 'pc-b' })] }));
    expect(celSeqs()).toEqual([9, 8, 7, 6, 5, 4, 3, 2, 1]);
    expect(projectStore.getState().position).toEqual({ epoch: 5, seq: 9 });
  });

  it('resumes from the position of a node that is behind, so nothing it logs next is skipped', () => {
    applySnapshot(snapshot({ position: { epoch: 4, seq: 7 }, cel: [5, 6, 7].map((seq) => celEntry(seq)) }));
    applySnapshot(snapshot({ position: { epoch: 4, seq: 6 }, role: 'standby', resumed: true, cel: [] }));
    expect(projectStore.getState().position).toEqual({ epoch: 4, seq: 6 });
    expect(celSeqs()).toEqual([7, 6, 5]);
  });

  it('ignores a command reply older than the alarm status already held', () => {
    applySnapshot(snapshot({ alarms: [alarm({ alarmId: 'A1', state: 'ackActive', since: 5_000 })] }));
    upsertAlarms([alarm({ alarmId: 'A1', state: 'unackActive', since: 4_000 })]);
    expect(projectStore.getState().alarms.get('A1')?.state).toBe('ackActive');
  });
});
