import { describe, expect, it } from 'vitest';
import { T0, TIMEOUT_MS, type HarnessNode, pairNode, deliver, exchangeUntilQuiet, serverAndStandby, samplesInput, commandInput, showKinds, repliesOf, appendedOps } from '../../../test/sim/engine-harness.js';
import type { Effect } from './engine-types.js';
import { stallThresholdMs } from './pair-engine.js';

/** A node whose own event loop stood still (a long synchronous write): its first input comes this much late. */
const STALL_MS = 5 * TIMEOUT_MS;

/** Ticks `node` every ms from `fromMs` until it changes role; the time of that tick, or null. */
function promotedAt(node: HarnessNode, fromMs: number, toMs: number): { atMs: number; effects: Effect[] } | null {
  for (let t = fromMs; t <= toMs; t++) {
    const effects = node.tick(t);
    if (showKinds(effects, 'role').length > 0) return { atMs: t, effects };
  }
  return null;
}

const celText = (effects: Effect[]) => {
  const [op] = appendedOps(effects);
  return op?.kind === 'roleChange' ? op.cel.text : undefined;
};

describe('a node that stood still itself', () => {
  it('counts a gap over max(2 heartbeats, half the failure timeout) between its inputs as its own stall', () => {
    expect(stallThresholdMs({ heartbeatMs: 200, failureTimeoutMs: 1_000 })).toBe(500);
    expect(stallThresholdMs({ heartbeatMs: 400, failureTimeoutMs: 1_000 })).toBe(800);
  });

  it('a Standby does not promote when the Server heartbeat that waited in its socket comes right after its first late tick', () => {
    const { server, standby, nowMs } = serverAndStandby();
    const resumeMs = nowMs + STALL_MS;
    // The Server runs on; what it sends waits unread until the Standby runs again.
    server.tickUntil(resumeMs);
    expect(showKinds(standby.tick(resumeMs), 'role', 'persistEpoch')).toEqual([]);
    expect(showKinds(deliver(server, standby, resumeMs), 'role', 'persistEpoch')).toEqual([]);

    for (let t = resumeMs + 50; t <= resumeMs + 3 * TIMEOUT_MS; t += 50) {
      server.tick(t);
      standby.tick(t);
      exchangeUntilQuiet(server, standby, t);
    }
    expect([server.engine.role, standby.engine.role, server.engine.epoch, standby.engine.epoch]).toEqual(['server', 'standby', 2, 2]);
  });

  it('a Standby whose Server really stopped promotes within the failure timeout after its stall, and says it stood still', () => {
    const { standby, nowMs: heardMs } = serverAndStandby();
    standby.tickUntil(heardMs + 100);
    const resumeMs = heardMs + 100 + STALL_MS;
    expect(showKinds(standby.tick(resumeMs), 'role')).toEqual([]);

    const promotion = promotedAt(standby, resumeMs + 1, resumeMs + TIMEOUT_MS);
    // The 100 ms of silence before the stall count, the 5 s of the stall do not.
    expect(promotion?.atMs).toBe(resumeMs + TIMEOUT_MS - 100);
    expect(celText(promotion!.effects)).toBe(`pc-b serves in epoch 3: pc-a silent for ${TIMEOUT_MS} ms (not counting ${STALL_MS} ms this node stood still)`);
  });

  it('a Standby still counts what a witness said before its stall', () => {
    const { standby, nowMs: heardMs } = serverAndStandby();
    standby.tickUntil(heardMs + 500);
    standby.step({ kind: 'witness', nowMs: heardMs + 500, server: 'pc-a', epoch: 2, silentForMs: 0 });
    const resumeMs = heardMs + 500 + STALL_MS;
    expect(showKinds(standby.tick(resumeMs), 'role')).toEqual([]);
    // Without the witness it would promote 500 ms after resuming; the witness heard the Server 500 ms later.
    expect(promotedAt(standby, resumeMs + 1, resumeMs + 2 * TIMEOUT_MS)?.atMs).toBe(resumeMs + TIMEOUT_MS);
  });

  it('a candidate waiting alone is not cut short by its own stall', () => {
    const candidate = pairNode('pc-a', { startupAloneMs: 2 * TIMEOUT_MS });
    candidate.boot(T0);
    candidate.tickUntil(T0 + 500);
    const resumeMs = T0 + 500 + STALL_MS;
    expect(showKinds(candidate.tick(resumeMs), 'role')).toEqual([]);

    const promotion = promotedAt(candidate, resumeMs + 1, resumeMs + 2 * TIMEOUT_MS);
    expect(promotion?.atMs).toBe(resumeMs + 2 * TIMEOUT_MS - 500);
    expect(celText(promotion!.effects)).toBe(`pc-a serves in epoch 2: no answer from pc-b since start (not counting ${STALL_MS} ms this node stood still)`);
  });

  it('a Server does not count its Standby down for its own stall: the ack that waited confirms a command, not degraded', () => {
    const { server, standby, nowMs } = serverAndStandby();
    server.step(samplesInput(nowMs + 100, 1));
    exchangeUntilQuiet(server, standby, nowMs + 100);
    server.step(commandInput(nowMs + 110, 'r1'));
    deliver(server, standby, nowMs + 120);

    const resumeMs = nowMs + 110 + STALL_MS;
    expect(repliesOf(server.tick(resumeMs))).toEqual([]);
    expect(showKinds(deliver(standby, server, resumeMs), 'reply')).toEqual(['reply r1 ok applied']);
    expect(server.engine.degraded).toBe(false);
  });
});
