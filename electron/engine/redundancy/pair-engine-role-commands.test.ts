import { describe, expect, it } from 'vitest';
import { TIMEOUT_MS, appendedOps, deliver, exchangeUntilQuiet, fromPeer, heartbeat, repliesOf, serverAndStandby, showEffects, type HarnessNode } from '../../../test/sim/engine-harness.js';
import type { OperatorCommand } from '../../../shared/protocol/ops.js';
import type { EngineInput } from './engine-types.js';
import { SWITCHOVER_WAIT_MS } from './server-role.js';

const command = (nowMs: number, requestId: string, cmd: OperatorCommand): EngineInput => ({ kind: 'command', nowMs, request: { requestId, user: 'olga', command: cmd }, logged: false });
const switchover = (to: string): OperatorCommand => ({ kind: 'switchover', to, comment: '' });
const freeze = (frozen: boolean): OperatorCommand => ({ kind: 'freeze', frozen, comment: '' });
const service = (node: string, inService: boolean): OperatorCommand => ({ kind: 'service', node, inService, comment: '' });

/** Runs both nodes for `ms` with their timers, exchanging everything. */
function run(a: HarnessNode, b: HarnessNode, fromMs: number, ms: number): number {
  for (let t = fromMs + 50; t <= fromMs + ms; t += 50) {
    a.tick(t);
    b.tick(t);
    exchangeUntilQuiet(a, b, t);
  }
  return fromMs + ms;
}

/** Sends a command to `server`, lets the Standby confirm it, and returns the reply. */
function confirmed(server: HarnessNode, standby: HarnessNode, nowMs: number, requestId: string, cmd: OperatorCommand) {
  const effects = server.step(command(nowMs, requestId, cmd));
  const refused = repliesOf(effects)[0]?.reply;
  if (refused) return { reply: refused, effects };
  deliver(server, standby, nowMs + 5);
  const reply = repliesOf(deliver(standby, server, nowMs + 10))[0]?.reply;
  return { reply, effects };
}

describe('manual switchover', () => {
  it.each(['automatic', 'manual'] as const)('moves the role to the Standby in a planned handover, which stays (failback %s)', (failback) => {
    const { server: a, standby: b, nowMs } = serverAndStandby('pc-a', { failback });
    const { reply, effects } = confirmed(a, b, nowMs + 10, 's1', switchover('pc-b'));
    expect(reply).toMatchObject({ ok: true, applied: true });
    expect(appendedOps(effects).map((op) => op.kind)).toEqual(['command', 'pairSettings']);
    expect(appendedOps(effects)[1]).toMatchObject({ settings: { preferred: 'pc-b', version: 1, user: 'olga' }, cel: { kind: 'operator', user: 'olga', text: 'olga switched the Server role over to pc-b (now the preferred Server)' } });
    const end = run(a, b, nowMs + 10, 1_000);
    expect([a.engine.role, b.engine.role]).toEqual(['standby', 'server']);
    expect(b.store.log.some((op) => op.kind === 'roleChange' && op.cel.text.includes('planned switchover from pc-a'))).toBe(true);
    // The new Server is the preferred one now: no failback undoes the switchover.
    run(a, b, end, 3_000);
    expect([a.engine.role, b.engine.role]).toEqual(['standby', 'server']);
    expect(b.engine.pairSettings).toMatchObject({ preferred: 'pc-b', frozen: false });
  });

  it('a switchover the Standby cannot take in time is dropped after 30 s, said in the CEL, and does not happen later by surprise', () => {
    const { server: a, standby: b, nowMs } = serverAndStandby('pc-a', { failback: 'manual' });
    expect(confirmed(a, b, nowMs + 10, 's1', switchover('pc-b')).reply).toMatchObject({ ok: true });
    // Nothing reaches pc-a from now on for a while (its Standby does not acknowledge what followed).
    a.step({ kind: 'samples', nowMs: nowMs + 20, driver: 'Sim', samples: [{ tag: 'Sim.Counter', t: nowMs + 20, v: 1, q: 'good' }] });
    const silentUntil = nowMs + SWITCHOVER_WAIT_MS + 100;
    for (let t = nowMs + 50; t <= silentUntil; t += 50) {
      a.tick(t);
      a.outbox = [];
      a.step(fromPeer(t, 'pc-b', a.engine.epoch, heartbeat('standby', { seq: 1, sentAtMs: t })));
    }
    expect(a.store.log.some((op) => op.kind === 'cel' && op.cel.text.startsWith('The switchover to pc-b asked 30 s ago did not happen and is dropped'))).toBe(true);
    run(a, b, silentUntil, 2_000);
    expect([a.engine.role, b.engine.role]).toEqual(['server', 'standby']);
  });

  it.each([
    { case: 'the roles are frozen', setup: (a: HarnessNode, b: HarnessNode, t: number) => void confirmed(a, b, t, 'f1', freeze(true)), message: 'cannot switch over to pc-b: the roles are frozen (maintenance); unfreeze them first' },
    { case: 'the Standby is out of service', setup: (a: HarnessNode, b: HarnessNode, t: number) => void confirmed(a, b, t, 'o1', service('pc-b', false)), message: 'cannot switch over to pc-b: pc-b is out of service; put it back in service first' },
    { case: 'the Standby is not heard', setup: (a: HarnessNode, _b: HarnessNode, t: number) => void a.tickUntil(t + TIMEOUT_MS), message: 'cannot switch over to pc-b: pc-b is not a Standby ready to take over (it is not heard)' },
  ])('is refused when $case, and changes nothing', ({ setup, message }) => {
    const { server: a, standby: b, nowMs } = serverAndStandby();
    setup(a, b, nowMs + 10);
    const seq = a.store.seq;
    const refused = a.step(command(nowMs + TIMEOUT_MS + 100, 's1', switchover('pc-b')));
    expect(repliesOf(refused)[0]?.reply).toEqual({ ok: false, code: 'conflict', message, server: 'pc-a' });
    expect(a.store.seq).toBe(seq);
  });

  it('names an unknown node and refuses switching to the node that serves', () => {
    const { server: a, nowMs } = serverAndStandby();
    expect(showEffects(a.step(command(nowMs + 10, 's1', switchover('pc-x'))))).toEqual(['reply s1 notFound server=pc-a']);
    expect(repliesOf(a.step(command(nowMs + 20, 's2', switchover('pc-a'))))[0]?.reply).toMatchObject({ code: 'conflict', message: 'pc-a already serves' });
  });
});

describe('frozen roles', () => {
  it('hold back automatic failback until they are unfrozen', () => {
    // pc-b serves, pc-a (preferred, automatic failback) is its Standby; roles frozen before it catches up.
    const { server: b, standby: a, nowMs } = serverAndStandby('pc-b', { failback: 'automatic' });
    b.step(command(nowMs + 1, 'f1', freeze(true)));
    const t = run(a, b, nowMs + 1, 2_000);
    expect([a.engine.role, b.engine.role]).toEqual(['standby', 'server']);
    expect(b.engine.pairSettings.frozen).toBe(true);
    expect(confirmed(b, a, t + 10, 'f2', freeze(false)).reply).toMatchObject({ ok: true });
    run(a, b, t + 10, 1_000);
    expect([a.engine.role, b.engine.role]).toEqual(['server', 'standby']);
  });

  it('do not keep a failed Server from being replaced: operators must keep seeing the plant', () => {
    const { server: a, standby: b, nowMs } = serverAndStandby();
    confirmed(a, b, nowMs + 10, 'f1', freeze(true));
    b.step({ kind: 'link', nowMs: nowMs + 100, up: false });
    b.tickUntil(nowMs + 100 + TIMEOUT_MS + 500);
    expect(b.engine.role).toBe('server');
  });
});

describe('out of service', () => {
  it('a Standby out of service is not a takeover candidate: the Server shows redundancy degraded, and after its failure nobody serves', () => {
    const { server: a, standby: b, nowMs } = serverAndStandby();
    expect(confirmed(a, b, nowMs + 10, 'o1', service('pc-b', false)).reply).toMatchObject({ ok: true });
    expect(a.engine.degraded).toBe(true);
    b.step({ kind: 'link', nowMs: nowMs + 100, up: false });
    b.tickUntil(nowMs + 100 + 3 * TIMEOUT_MS);
    expect(b.engine.role).toBe('standby');
  });

  it('a Server taken out of service hands its role to the Standby first', () => {
    const { server: a, standby: b, nowMs } = serverAndStandby();
    confirmed(a, b, nowMs + 10, 'o1', service('pc-a', false));
    run(a, b, nowMs + 10, 1_000);
    expect([a.engine.role, b.engine.role]).toEqual(['standby', 'server']);
    expect(a.store.log.some((op) => op.kind === 'pairSettings' && op.cel.text === 'olga took pc-a out of service: it neither serves nor takes over until it is back in service')).toBe(true);
  });
});
