import { describe, expect, it } from 'vitest';
import { parseSimAddress, simValue, type SimSignal } from '../../../shared/domain/sim-signals.js';
import { parseProject, type Project } from '../../../shared/project/load-project.js';
import type { AlarmStatus, Quality, Sample } from '../../../shared/protocol/entities.js';
import type { UserRecord } from '../../../shared/domain/user-role.js';
import type { Op, OperatorCommand } from '../../../shared/protocol/ops.js';
import { ProjectProcessor, type CommandOutcome, type ProcessorInit } from './project-processor.js';

const PROJECT: Project = (() => {
  const result = parseProject({
    format: 'tandem-project/1',
    id: 'unit-test',
    name: 'Unit test plant',
    drivers: [{ id: 'Sim', type: 'simulator' }],
    tags: [
      { id: 'Temp', driver: 'Sim', address: 'counter', unit: '°C', archive: { deadband: 0.5 } },
      { id: 'PumpRunning', type: 'boolean', driver: 'Sim', address: 'counter' },
      { id: 'PumpFault', type: 'boolean', driver: 'Sim', address: 'counter' },
      { id: 'Debug', driver: 'Sim', address: 'counter', archive: { enabled: false } },
    ],
    alarms: [
      { id: 'Temp.H', tag: 'Temp', condition: { type: 'H', limit: 80, deadband: 2 }, text: 'Temperature high', priority: 'high' },
      { id: 'Temp.HH', tag: 'Temp', condition: { type: 'HH', limit: 95 }, text: 'Temperature very high', priority: 'urgent', onDelayMs: 1_000 },
      { id: 'Pump.Fault', tag: 'PumpFault', condition: { type: 'binary' }, text: 'Pump fault', suppressedBy: { tag: 'PumpRunning', equals: 0 } },
    ],
  });
  if (!result.ok) throw new Error(result.errors.join('\n'));
  return result.project;
})();

function processor(init: Partial<ProcessorInit> = {}): ProjectProcessor {
  return new ProjectProcessor({ project: PROJECT, node: 'A', bootId: 'boot1', alarms: [], lastArchived: [], recipes: [], users: [], nowMs: 0, ...init });
}

const s = (tag: string, t: number, v: number, q: Quality = 'good'): Sample => ({ tag, t, v, q });
const alarmOps = (ops: Op[]) => ops.flatMap((op) => (op.kind === 'alarm' ? [op] : []));
/** `alarm t from->to cause` for each alarm op: what the CEL would list. */
const transitions = (ops: Op[]): string[] =>
  alarmOps(ops).map(({ transition: tr }) => `${tr.alarmId} ${tr.t} ${tr.from}->${tr.to} ${tr.cause}`);

let requests = 0;
function command(p: ProjectProcessor, t: number, cmd: OperatorCommand, user = 'ann'): CommandOutcome {
  requests += 1;
  return p.command({ requestId: `r${requests}`, user, t, command: cmd });
}
const ack = (...alarmIds: string[]): OperatorCommand => ({ kind: 'ack', alarmIds, comment: '' });

describe('ProjectProcessor.ingest', () => {
  it('archives changed samples as one batch and raises the alarm with its CEL entry', () => {
    const ops = processor().ingest('Sim', [s('Temp', 1_000, 70), s('Temp', 1_100, 70.3), s('Temp', 1_200, 85)]);
    expect(ops[0]).toEqual({ id: 'smp/A/boot1/1', kind: 'samples', t: 1_000, driver: 'Sim', through: 1_200, samples: [s('Temp', 1_000, 70), s('Temp', 1_200, 85)] });
    expect(ops.slice(1)).toEqual([
      {
        id: 'alm/Temp.H/1200/unackActive',
        kind: 'alarm',
        t: 1_200,
        transition: { alarmId: 'Temp.H', t: 1_200, from: 'normal', to: 'unackActive', cause: 'process', value: 85, user: null, comment: null },
        status: {
          alarmId: 'Temp.H', tag: 'Temp', text: 'Temperature high', priority: 'high', alarmClass: 'process', state: 'unackActive',
          conditionActive: true, since: 1_200, activeSince: 1_200, value: 85, ackUser: null, ackComment: null, shelvedUntil: null,
        },
        cel: {
          id: 'alm/Temp.H/1200/unackActive', t: 1_200, node: 'A', kind: 'alarm', user: null,
          text: 'Temperature high: active (85 °C)', alarmId: 'Temp.H', tag: 'Temp', state: 'unackActive',
        },
      },
    ]);
  });

  it('for samples that change nothing, records only how far the driver is processed', () => {
    const p = processor();
    p.ingest('Sim', [s('Temp', 1_000, 70)]);
    expect(p.ingest('Sim', [s('Temp', 1_100, 70.2), s('Debug', 1_100, 5), s('NoSuchTag', 1_100, 1)])).toEqual([
      { id: 'smp/A/boot1/2', kind: 'samples', t: 1_100, driver: 'Sim', through: 1_100, samples: [] },
    ]);
  });

  it('ignores samples of undeclared tags entirely', () => {
    const p = processor();
    expect(p.ingest('Sim', [s('NoSuchTag', 1_000, 99)])).toMatchObject([{ kind: 'samples', samples: [] }]);
    expect(p.latestValues().has('NoSuchTag')).toBe(false);
  });

  it('archives a bad-quality sample but does not let it clear or raise an alarm', () => {
    const p = processor();
    p.ingest('Sim', [s('Temp', 1_000, 85)]);
    const ops = p.ingest('Sim', [s('Temp', 1_100, 0, 'commError'), s('PumpFault', 1_100, 1, 'bad')]);
    expect(ops).toHaveLength(1);
    expect(ops[0]).toMatchObject({ kind: 'samples', samples: [s('Temp', 1_100, 0, 'commError'), s('PumpFault', 1_100, 1, 'bad')] });
    expect(p.alarmStatus('Temp.H')?.state).toBe('unackActive');
    expect(p.alarmStatus('Pump.Fault')?.state).toBe('normal');
    expect(p.latestValues().get('Temp')).toEqual(s('Temp', 1_100, 0, 'commError'));
  });

  it('suppresses by design while the suppressing tag has its value, and annunciates afresh when released', () => {
    const p = processor();
    const ops = [
      ...p.ingest('Sim', [s('PumpRunning', 1_000, 0)]),
      ...p.ingest('Sim', [s('PumpFault', 2_000, 1)]),
      ...p.ingest('Sim', [s('PumpRunning', 3_000, 1)]),
    ];
    expect(transitions(ops)).toEqual(['Pump.Fault 1000 normal->suppressed design', 'Pump.Fault 3000 suppressed->unackActive design']);
    expect(alarmOps(ops).map((op) => op.cel.text)).toEqual(['Pump fault: suppressed by design', 'Pump fault: suppression ended, now active (on)']);
  });
});

describe('ProjectProcessor.tick', () => {
  it('raises a delayed alarm dated when its delay was met', () => {
    const p = processor();
    expect(transitions(p.ingest('Sim', [s('Temp', 1_000, 96)]))).toEqual(['Temp.H 1000 normal->unackActive process']);
    expect(p.tick(1_900)).toEqual([]);
    expect(transitions(p.tick(2_100))).toEqual(['Temp.HH 2000 normal->unackActive process']);
    expect(p.tick(2_200)).toEqual([]);
  });

  it('ends an expired shelving, attributed to the expiry', () => {
    const p = processor();
    p.ingest('Sim', [s('Temp', 1_000, 85)]);
    expect(command(p, 2_000, { kind: 'shelve', alarmId: 'Temp.H', durationMs: 60_000, comment: '' }).ok).toBe(true);
    expect(p.tick(61_999)).toEqual([]);
    const ops = p.tick(62_500);
    expect(transitions(ops)).toEqual(['Temp.H 62000 shelved->unackActive shelveExpiry']);
    expect(alarmOps(ops)[0]?.cel).toMatchObject({ kind: 'alarm', user: null, text: 'Temperature high: shelving expired, now active' });
  });

  it('a sample that arrives after a shelving expired, before any tick, records the expiry first', () => {
    const p = processor();
    command(p, 2_000, { kind: 'shelve', alarmId: 'Temp.H', durationMs: 60_000, comment: '' });
    const ops = p.ingest('Sim', [s('Temp', 62_300, 85)]);
    expect(transitions(ops)).toEqual(['Temp.H 62000 shelved->normal shelveExpiry', 'Temp.H 62300 normal->unackActive process']);
  });
});

describe('ProjectProcessor.command', () => {
  it('acknowledges: records the command, then the transition with its operator CEL entry', () => {
    const p = processor();
    p.ingest('Sim', [s('Temp', 1_000, 85)]);
    const outcome = p.command({ requestId: 'req-1', user: 'ann', t: 5_000, command: { kind: 'ack', alarmIds: ['Temp.H'], comment: 'valve checked' } });
    expect(outcome.ok).toBe(true);
    if (!outcome.ok) return;
    expect(outcome.ops[0]).toEqual({ id: 'cmd/req-1', kind: 'command', t: 5_000, requestId: 'req-1', user: 'ann', command: { kind: 'ack', alarmIds: ['Temp.H'], comment: 'valve checked' } });
    expect(outcome.ops.slice(1)).toMatchObject([
      {
        id: 'alm/Temp.H/5000/ackActive',
        transition: { from: 'unackActive', to: 'ackActive', cause: 'operator', user: 'ann', comment: 'valve checked', value: 85 },
        cel: { kind: 'operator', user: 'ann', text: 'Temperature high: acknowledged by ann — "valve checked"', state: 'ackActive' },
      },
    ]);
    expect(outcome.alarms).toEqual([p.alarmStatus('Temp.H')]);
    expect(outcome.alarms[0]).toMatchObject({ state: 'ackActive', ackUser: 'ann', ackComment: 'valve checked', since: 5_000 });
  });

  it('an empty comment is recorded as no comment', () => {
    const p = processor();
    p.ingest('Sim', [s('Temp', 1_000, 85)]);
    const outcome = command(p, 5_000, ack('Temp.H'));
    expect(outcome.ok && alarmOps(outcome.ops)[0]?.transition.comment).toBeNull();
  });

  it('acknowledging several alarms acts on those in alarm and skips the rest', () => {
    const p = processor();
    p.ingest('Sim', [s('Temp', 1_000, 85), s('PumpRunning', 1_000, 1), s('PumpFault', 1_000, 1)]);
    const outcome = command(p, 5_000, ack('Temp.H', 'Temp.HH', 'Pump.Fault'));
    expect(outcome.ok).toBe(true);
    if (!outcome.ok) return;
    expect(transitions(outcome.ops)).toEqual(['Temp.H 5000 unackActive->ackActive operator', 'Pump.Fault 5000 unackActive->ackActive operator']);
    expect(outcome.alarms.map((a) => a.alarmId)).toEqual(['Temp.H', 'Pump.Fault']);
  });

  it.each<{ name: string; cmd: OperatorCommand; code: 'notFound' | 'conflict'; message: string }>([
    { name: 'ack of an unknown alarm', cmd: ack('Temp.HHH'), code: 'notFound', message: 'unknown alarm "Temp.HHH"' },
    { name: 'ack naming one unknown alarm among known ones', cmd: ack('Temp.H', 'Nope'), code: 'notFound', message: 'unknown alarm "Nope"' },
    { name: 'shelve of an unknown alarm', cmd: { kind: 'shelve', alarmId: 'Nope', durationMs: 60_000, comment: '' }, code: 'notFound', message: 'unknown alarm "Nope"' },
    { name: 'ack of an alarm not in alarm', cmd: ack('Temp.HH'), code: 'conflict', message: 'nothing to do: "Temp.HH": the alarm is not in alarm' },
    { name: 'ack of an acknowledged alarm', cmd: ack('Pump.Fault'), code: 'conflict', message: 'nothing to do: "Pump.Fault": the alarm is already acknowledged' },
    { name: 'ack of a shelved alarm', cmd: ack('Temp.H'), code: 'conflict', message: 'nothing to do: "Temp.H": the alarm is shelved; unshelve it first' },
    { name: 'shelve of a shelved alarm', cmd: { kind: 'shelve', alarmId: 'Temp.H', durationMs: 60_000, comment: '' }, code: 'conflict', message: 'nothing to do: "Temp.H": the alarm is already shelved' },
    { name: 'shelve for no time', cmd: { kind: 'shelve', alarmId: 'Temp.HH', durationMs: 0, comment: '' }, code: 'conflict', message: 'nothing to do: "Temp.HH": the shelving must end in the future' },
    { name: 'unshelve of an alarm not shelved', cmd: { kind: 'unshelve', alarmId: 'Pump.Fault', comment: '' }, code: 'conflict', message: 'nothing to do: "Pump.Fault": the alarm is not shelved' },
  ])('refuses $name and changes nothing', ({ cmd, code, message }) => {
    const p = processor();
    p.ingest('Sim', [s('Temp', 1_000, 85), s('PumpRunning', 1_000, 1), s('PumpFault', 1_000, 1)]);
    command(p, 2_000, ack('Pump.Fault'));
    command(p, 2_000, { kind: 'shelve', alarmId: 'Temp.H', durationMs: 600_000, comment: '' });
    const before = p.alarmStatuses();
    expect(command(p, 5_000, cmd)).toEqual({ ok: false, code, message });
    expect(p.alarmStatuses()).toEqual(before);
  });

  it('shelves and unshelves: the alarm comes back unacknowledged with a fresh activeSince', () => {
    const p = processor();
    p.ingest('Sim', [s('Temp', 1_000, 85)]);
    const shelved = command(p, 2_000, { kind: 'shelve', alarmId: 'Temp.H', durationMs: 3_600_000, comment: 'sensor fault' }, 'bob');
    expect(shelved.ok && shelved.alarms[0]).toMatchObject({ state: 'shelved', shelvedUntil: 3_602_000 });
    expect(shelved.ok && alarmOps(shelved.ops)[0]?.cel.text).toBe('Temperature high: shelved by bob for 1 h — "sensor fault"');
    const back = command(p, 9_000, { kind: 'unshelve', alarmId: 'Temp.H', comment: '' }, 'bob');
    expect(back.ok && back.alarms[0]).toMatchObject({ state: 'unackActive', since: 9_000, activeSince: 9_000, shelvedUntil: null });
    expect(back.ok && transitions(back.ops)).toEqual(['Temp.H 9000 shelved->unackActive operator']);
    expect(back.ok && alarmOps(back.ops)[0]?.cel.text).toBe('Temperature high: unshelved by bob, now active');
  });
});

describe('ProjectProcessor: restart', () => {
  const storedH: AlarmStatus = {
    alarmId: 'Temp.H', tag: 'Temp', text: 'Temperature high', priority: 'high', alarmClass: 'process', state: 'ackActive',
    conditionActive: true, since: 500, activeSince: 400, value: 86, ackUser: 'ann', ackComment: null, shelvedUntil: null,
  };

  it('continues from the stored alarm states and last archived samples', () => {
    const p = processor({ alarms: [storedH], lastArchived: [s('Temp', 900, 86)], nowMs: 10_000 });
    expect(p.alarmStatus('Temp.H')).toEqual(storedH);
    expect(p.alarmStatus('Temp.HH')).toMatchObject({ state: 'normal', since: 10_000, activeSince: null });
    expect(p.ingest('Sim', [s('Temp', 10_000, 86.2)])).toMatchObject([{ kind: 'samples', through: 10_000, samples: [] }]);
    expect(transitions(p.ingest('Sim', [s('Temp', 10_100, 70)]))).toEqual(['Temp.H 10100 ackActive->normal process']);
  });

  it('ignores stored statuses of alarms the project no longer has', () => {
    const p = processor({ alarms: [{ ...storedH, alarmId: 'Removed.Alarm' }] });
    expect(p.alarmStatuses().map((a) => a.alarmId)).toEqual(['Temp.H', 'Temp.HH', 'Pump.Fault']);
  });
});

describe('ProjectProcessor: determinism and ids', () => {
  const temp = parseSimAddress('noise?periodMs=5000&amplitude=20&offset=85&seed=11') as SimSignal;
  const running = parseSimAddress('square?periodMs=7000&duty=0.7') as SimSignal;
  const fault = parseSimAddress('square?periodMs=3000&duty=0.4&phaseMs=500') as SimSignal;

  /** Two minutes of plant life: samples every 100 ms in batches of 5, ticks, operator actions, system events. */
  function script(node: string, bootId: string): Op[] {
    const p = processor({ node, bootId, nowMs: 0 });
    const ops: Op[] = [p.systemEvent(0, 'started')];
    for (let t = 0; t < 120_000; t += 500) {
      const batch = [0, 100, 200, 300, 400].flatMap((dt) => [
        s('Temp', t + dt, Math.round(simValue(temp, t + dt) * 10) / 10),
        s('PumpRunning', t + dt, simValue(running, t + dt)),
        s('PumpFault', t + dt, simValue(fault, t + dt)),
      ]);
      ops.push(...p.ingest('Sim', batch), ...p.tick(t + 500));
      if (t % 10_000 === 0) {
        const acked = p.command({ requestId: `${node}-ack-${t}`, user: 'ann', t: t + 500, command: ack('Temp.H', 'Temp.HH', 'Pump.Fault') });
        if (acked.ok) ops.push(...acked.ops);
      }
      if (t === 30_000) {
        const shelved = p.command({ requestId: `${node}-shelve`, user: 'bob', t: t + 500, command: { kind: 'shelve', alarmId: 'Temp.H', durationMs: 20_000, comment: '' } });
        if (shelved.ok) ops.push(...shelved.ops);
      }
    }
    return ops;
  }

  it('the same inputs give deep-equal ops', () => {
    const first = script('A', 'boot1');
    const kinds = new Set(first.map((op) => op.kind));
    expect([...kinds].sort()).toEqual(['alarm', 'cel', 'command', 'samples']);
    expect(new Set(transitions(first).map((line) => line.split(' ').at(-1)))).toEqual(new Set(['process', 'operator', 'design', 'shelveExpiry']));
    expect(script('A', 'boot1')).toEqual(first);
  });

  it('gives every op of a run a unique id', () => {
    const ids = script('A', 'boot1').map((op) => op.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('two nodes observing the same samples record the same alarm transitions under the same ids', () => {
    const onA = alarmOps(script('A', 'boot1')).filter((op) => op.transition.cause !== 'operator');
    const onB = alarmOps(script('B', 'boot7')).filter((op) => op.transition.cause !== 'operator');
    expect(onA.length).toBeGreaterThan(10);
    expect(onB.map((op) => op.id)).toEqual(onA.map((op) => op.id));
    expect(onB.map((op) => op.transition)).toEqual(onA.map((op) => op.transition));
    expect(onB.every((op) => op.cel.node === 'B')).toBe(true);
  });
});

describe('users', () => {
  const userCommand = (name: string, role: 'viewer' | 'operator', passwordHash: string | null): OperatorCommand => ({ kind: 'user', name, role, passwordHash, disabled: false, comment: '' });

  it('creates and changes a user in versions, logging the hash once and never in the CEL', () => {
    const p = processor();
    const created = p.command({ requestId: 'user-req-1', user: 'admin', t: 10, command: userCommand('vera', 'viewer', 'scrypt$hash1') });
    expect(created.ok).toBe(true);
    const ops = created.ok ? created.ops : [];
    expect(ops.map((op) => op.kind)).toEqual(['command', 'user']);
    expect(JSON.stringify(ops[0])).not.toContain('scrypt$hash1');
    const userOp = ops[1]!;
    expect(userOp.kind === 'user' && userOp.user).toEqual({ name: 'vera', role: 'viewer', passwordHash: 'scrypt$hash1', disabled: false, version: 1, t: 10, by: 'admin' });
    expect(userOp.kind === 'user' && userOp.cel).toMatchObject({ user: 'admin', kind: 'operator', text: 'User vera created as viewer' });

    const promoted = p.command({ requestId: 'user-req-2', user: 'admin', t: 20, command: userCommand('vera', 'operator', null) });
    const promotedOp = promoted.ok ? promoted.ops[1]! : null;
    expect(promotedOp?.kind === 'user' && promotedOp.user).toMatchObject({ role: 'operator', passwordHash: 'scrypt$hash1', version: 2 });
    expect(promotedOp?.kind === 'user' && promotedOp.cel.text).toBe('User vera: role viewer → operator');
    expect(p.userRecords().map((u) => [u.name, u.version])).toEqual([['vera', 2]]);
  });

  it('refuses to create a user without a password', () => {
    expect(processor().command({ requestId: 'user-req-3', user: 'admin', t: 1, command: userCommand('nopw', 'viewer', null) })).toMatchObject({ ok: false, code: 'invalid' });
  });

  it('refuses any change that would leave the project without an enabled administrator, and records nothing for it', () => {
    const record = (name: string, role: UserRecord['role'], disabled = false): UserRecord => ({ name, role, passwordHash: `h-${name}`, disabled, version: 1, t: 0, by: 'system' });
    // A disabled administrator does not count: it cannot sign in to manage users.
    const p = processor({ users: [record('admin', 'administrator'), record('old', 'administrator', true), record('vera', 'viewer')] });
    const change = (name: string, role: UserRecord['role'], disabled = false) =>
      p.command({ requestId: `last-admin-${name}-${role}-${disabled}`, user: 'admin', t: 5, command: { kind: 'user', name, role, passwordHash: null, disabled, comment: '' } });
    const last = 'user "admin" is the last enabled administrator of project "unit-test"';
    expect(change('admin', 'operator')).toEqual({ ok: false, code: 'conflict', message: `${last} and cannot become operator: make another user administrator first` });
    expect(change('admin', 'administrator', true)).toEqual({ ok: false, code: 'conflict', message: `${last} and cannot be disabled: make another user administrator first` });
    expect(p.userRecord('admin')).toMatchObject({ role: 'administrator', disabled: false, version: 1 });
    // Staying an enabled administrator (a new password, a comment) is no loss.
    expect(change('admin', 'administrator').ok).toBe(true);

    expect(change('vera', 'administrator').ok).toBe(true);
    expect(change('admin', 'engineer').ok).toBe(true);
    expect(change('vera', 'viewer', true)).toMatchObject({ ok: false, message: expect.stringMatching(/^user "vera" is the last enabled administrator/) });
    // Re-enabling the old administrator gives the project a second one again.
    expect(change('old', 'administrator').ok).toBe(true);
    expect(change('vera', 'viewer', true).ok).toBe(true);
  });

  it('keeps the newest version whatever order versions are merged in', () => {
    const base = { name: 'otto', role: 'operator' as const, passwordHash: 'h', disabled: false };
    const versions = [
      { ...base, version: 2, t: 5, by: 'anna' },
      { ...base, role: 'viewer' as const, version: 2, t: 7, by: 'bert' },
      { ...base, version: 1, t: 9, by: 'admin' },
    ];
    for (const order of [[0, 1, 2], [2, 1, 0], [1, 2, 0]]) {
      const p = processor();
      for (const i of order) p.recordUser(versions[i]!);
      expect(p.userRecords()).toEqual([versions[1]]);
    }
  });
});
