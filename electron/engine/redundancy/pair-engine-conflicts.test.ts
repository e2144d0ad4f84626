import { describe, expect, it } from 'vitest';
import type { OperatorCommand, PairSettings } from '../../../shared/protocol/ops.js';
import type { UserRecord } from '../../../shared/domain/user-role.js';
import type { PeerMessage } from '../../../shared/protocol/peer.js';
import { exchangeUntilQuiet, fromPeer, serverAndStandby, showEffects, type HarnessNode, type NodeName } from '../../../test/sim/engine-harness.js';

/** Hashes as password-hash.ts writes them: none may reach the CEL. */
const HASH_0 = 'scrypt$16384$8$1$c2FsdC0w$aGFzaC1iZWZvcmUtdGhlLXNwbGl0';
const HASH_A = 'scrypt$16384$8$1$c2FsdC1h$aGFzaC1zZXQtb24tcGMtYQ';
const HASH_B = 'scrypt$16384$8$1$c2FsdC1i$aGFzaC1zZXQtb24tcGMtYg';

const userCommand = (role: UserRecord['role'], passwordHash: string | null): OperatorCommand => ({ kind: 'user', name: 'carl', role, passwordHash, disabled: false, comment: '' });
const run = (node: HarnessNode, nowMs: number, requestId: string, user: string, command: OperatorCommand) =>
  node.step({ kind: 'command', nowMs, logged: false, request: { requestId, user, command } });

/**
 * A whole pair (`first` serves) where vera creates user carl; then the peer link is cut both ways
 * long enough for the Standby to serve too. Both nodes serve in their own epoch when it returns.
 */
function splitPair(first: NodeName) {
  const { server, standby, nowMs } = serverAndStandby(first);
  run(server, nowMs + 10, 'create', 'vera', userCommand('operator', HASH_0));
  exchangeUntilQuiet(server, standby, nowMs + 10);
  const cutUntilMs = nowMs + 2_000;
  for (let t = nowMs + 50; t <= cutUntilMs; t += 50) {
    server.tick(t);
    standby.tick(t);
    server.outbox = [];
    standby.outbox = [];
  }
  expect([server.engine.role, standby.engine.role]).toEqual(['server', 'server']);
  const [a, b] = first === 'pc-a' ? [server, standby] : [standby, server];
  return { a, b, nowMs: cutUntilMs };
}

/** The link is back: both run and talk until one serves and the other has aligned with it as Standby. */
function realign(a: HarnessNode, b: HarnessNode, fromMs: number): void {
  for (let t = fromMs; t <= fromMs + 3_000; t += 50) {
    a.tick(t);
    b.tick(t);
    exchangeUntilQuiet(a, b, t);
  }
  expect([a.engine.role, b.engine.role].sort()).toEqual(['server', 'standby']);
}

const conflictEntries = (node: HarnessNode) => node.store.log.flatMap((op) => (op.kind === 'cel' && op.cel.text.includes('while they were apart') ? [op.cel] : []));

/** Both nodes hold the same log and facts, with exactly `entries` conflict entries, the same on both. */
function expectConverged(a: HarnessNode, b: HarnessNode, entries: number) {
  expect(a.store.seq).toBe(b.store.seq);
  expect(a.store.stateHash()).toBe(b.store.stateHash());
  expect(conflictEntries(a)).toHaveLength(entries);
  expect(conflictEntries(b)).toEqual(conflictEntries(a));
  return conflictEntries(a)[0];
}

/**
 * Each side of the split is taken through the whole return in both directions: the Server after it
 * is the node with the higher epoch (pc-a's epochs are even, pc-b's odd), so `first` decides which
 * node merges; `later` decides whose change is the later one.
 */
const ORDERS = [
  { first: 'pc-a', later: 'pc-a' },
  { first: 'pc-a', later: 'pc-b' },
  { first: 'pc-b', later: 'pc-a' },
  { first: 'pc-b', later: 'pc-b' },
] as const;

describe('a user changed on both sides of a split', () => {
  it.each(ORDERS)('$first served first, the later change on $later: one CEL entry on both nodes names both changes and the kept one, no hash', ({ first, later }) => {
    const { a, b, nowMs } = splitPair(first);
    const [atA, atB] = later === 'pc-a' ? [nowMs + 400, nowMs + 100] : [nowMs + 100, nowMs + 400];
    run(a, atA, 'on-a', 'ann', userCommand('engineer', HASH_A));
    run(b, atB, 'on-b', 'bob', userCommand('viewer', HASH_B));
    realign(a, b, nowMs + 500);

    const entry = expectConverged(a, b, 1)!;
    const [merger, returner] = first === 'pc-a' ? ['pc-b', 'pc-a'] : ['pc-a', 'pc-b'];
    const where = (node: string) => (node === merger ? `held by ${merger}` : `handed back by ${returner}`);
    const ann = { user: 'ann', where: where('pc-a'), details: 'engineer, enabled' };
    const bob = { user: 'bob', where: where('pc-b'), details: 'viewer, enabled' };
    const [kept, other] = later === 'pc-a' ? [ann, bob] : [bob, ann];
    expect(entry).toMatchObject({ node: merger, kind: 'system', user: null });
    expect(entry.text).toBe(
      'Version 2 of user carl was changed on both nodes while they were apart. ' +
        `Current: the later change, by ${kept.user}, ${kept.where} (${kept.details}). ` +
        `Kept in the log only: the change by ${other.user} 300 ms earlier, ${other.where} (${other.details}). ` +
        "The password that applies is the current change's.",
    );
    for (const secret of [HASH_0, HASH_A, HASH_B, 'scrypt']) expect(entry.text).not.toContain(secret);
    const current = later === 'pc-a' ? { by: 'ann', role: 'engineer', passwordHash: HASH_A } : { by: 'bob', role: 'viewer', passwordHash: HASH_B };
    for (const node of [a, b]) expect(node.engine.userRecords().find((user) => user.name === 'carl')).toMatchObject({ version: 2, ...current });
  });

  it.each(['pc-a', 'pc-b'] as const)('changed on one side only (%s served first): realigning logs no conflict', (first) => {
    const { a, b, nowMs } = splitPair(first);
    run(b, nowMs + 100, 'on-b', 'bob', userCommand('viewer', null));
    run(a, nowMs + 200, 'other-user', 'ann', { kind: 'user', name: 'dora', role: 'viewer', passwordHash: HASH_A, disabled: false, comment: '' });
    realign(a, b, nowMs + 500);
    expectConverged(a, b, 0);
    for (const node of [a, b]) expect(node.engine.userRecords().find((user) => user.name === 'carl')).toMatchObject({ version: 2, by: 'bob', role: 'viewer', passwordHash: HASH_0 });
  });
});

describe("the pair's role settings changed on both sides of a split", () => {
  it.each(ORDERS)('$first served first, the later change on $later: one CEL entry on both nodes, and both steer by the later settings', ({ first, later }) => {
    const { a, b, nowMs } = splitPair(first);
    const [atA, atB] = later === 'pc-a' ? [nowMs + 400, nowMs + 100] : [nowMs + 100, nowMs + 400];
    run(a, atA, 'on-a', 'ann', { kind: 'freeze', frozen: true, comment: '' });
    run(b, atB, 'on-b', 'bob', { kind: 'preferred', node: 'pc-b', comment: '' });
    realign(a, b, nowMs + 500);

    const entry = expectConverged(a, b, 1)!;
    const merger = first === 'pc-a' ? 'pc-b' : 'pc-a';
    const frozenByAnn = 'preferred Server pc-a, roles frozen, every node in service';
    const pcBByBob = 'preferred Server pc-b, roles not frozen, every node in service';
    const [kept, other] = later === 'pc-a' ? ['ann', 'bob'] : ['bob', 'ann'];
    expect(entry.node).toBe(merger);
    expect(entry.text).toContain("Version 1 of the pair's role settings was changed on both nodes while they were apart. ");
    expect(entry.text).toContain(`Current: the later change, by ${kept}, `);
    expect(entry.text).toContain(`Kept in the log only: the change by ${other} 300 ms earlier, `);
    expect(entry.text).toContain(`(${frozenByAnn})`);
    expect(entry.text).toContain(`(${pcBByBob})`);
    const settings: Partial<PairSettings> = later === 'pc-a' ? { preferred: 'pc-a', frozen: true, user: 'ann' } : { preferred: 'pc-b', frozen: false, user: 'bob' };
    for (const node of [a, b]) expect(node.engine.pairSettings).toMatchObject({ version: 1, ...settings });
  });

  it('the same change made on both sides: nothing is lost, so no conflict is logged', () => {
    const { a, b, nowMs } = splitPair('pc-a');
    run(a, nowMs + 100, 'on-a', 'ann', { kind: 'freeze', frozen: true, comment: '' });
    run(b, nowMs + 400, 'on-b', 'bob', { kind: 'freeze', frozen: true, comment: '' });
    realign(a, b, nowMs + 500);
    expectConverged(a, b, 0);
    for (const node of [a, b]) expect(node.engine.pairSettings).toMatchObject({ version: 1, frozen: true, user: 'bob' });
  });

  it('changed on one side only: realigning logs no conflict', () => {
    const { a, b, nowMs } = splitPair('pc-a');
    run(a, nowMs + 100, 'on-a', 'ann', { kind: 'freeze', frozen: true, comment: '' });
    realign(a, b, nowMs + 500);
    expectConverged(a, b, 0);
    for (const node of [a, b]) expect(node.engine.pairSettings).toMatchObject({ version: 1, frozen: true });
  });
});

describe('the Server merging a handback with a conflict', () => {
  /** pc-a serves and has saved version 1 of carl at +400; pc-b's version 1 is from +100: pc-a's stays current. */
  function serverWithLaterChange() {
    const { server: a, nowMs } = serverAndStandby();
    run(a, nowMs + 400, 'on-a', 'ann', userCommand('engineer', HASH_A));
    const theirs: UserRecord = { name: 'carl', role: 'viewer', passwordHash: HASH_B, disabled: false, version: 1, t: nowMs + 100, by: 'bob' };
    const cel = { id: 'usr-b', t: theirs.t, node: 'pc-b', kind: 'operator' as const, user: 'bob', text: 'User carl created as viewer', alarmId: null, tag: null, state: null };
    const handback: PeerMessage = { type: 'handback', fromSeq: 6, ops: [{ id: `usr/carl/1/${theirs.t}`, kind: 'user', t: theirs.t, user: theirs, cel, epoch: 1, seq: 7 }] };
    return { a, nowMs, handback };
  }

  it('logs the conflict once when the handback arrives twice (resent after a lost acknowledgement)', () => {
    const { a, nowMs, handback } = serverWithLaterChange();
    const first = a.step(fromPeer(nowMs + 500, 'pc-b', 2, handback));
    expect(showEffects(first).filter((line) => line.startsWith('append'))).toEqual(['append@2 user,cel']);
    a.step(fromPeer(nowMs + 700, 'pc-b', 2, handback));
    expect(conflictEntries(a)).toHaveLength(1);
    expect(a.engine.userRecords()).toMatchObject([{ name: 'carl', by: 'ann', passwordHash: HASH_A }]);
  });

  it('logs nothing for a handback that holds the change the Server already has', () => {
    const { server: a, nowMs } = serverAndStandby();
    run(a, nowMs + 400, 'on-a', 'ann', userCommand('engineer', HASH_A));
    const own = a.store.log.find((op) => op.kind === 'user')!;
    a.step(fromPeer(nowMs + 500, 'pc-b', 2, { type: 'handback', fromSeq: 6, ops: [{ ...own, epoch: 1, seq: 7 }] }));
    expect(conflictEntries(a)).toEqual([]);
  });
});
