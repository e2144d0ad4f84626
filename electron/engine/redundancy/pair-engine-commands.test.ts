import { describe, expect, it } from 'vitest';
import { T0, TIMEOUT_MS, type HarnessNode, pairNode, deliver, exchangeUntilQuiet, serverAndStandby, fromPeer, samplesInput, commandInput, showEffects, showKinds, repliesOf } from '../../../test/sim/engine-harness.js';
import type { CommandRequest } from './engine-types.js';

describe('operator commands', () => {
  /** A Server with the blinker alarm raised and replicated; the Standby alive or not. */
  function raised() {
    const pair = serverAndStandby();
    const { server, standby, nowMs } = pair;
    server.step(samplesInput(nowMs + 100, 1));
    exchangeUntilQuiet(server, standby, nowMs + 100);
    return { ...pair, nowMs: nowMs + 100 };
  }

  it.each([
    { case: 'a candidate', who: 'candidate', reply: 'reply r1 notServer server=null', text: 'pc-b is not serving this project now (it is candidate).' },
    { case: 'a Standby', who: 'standby', reply: 'reply r1 notServer server=pc-a', text: 'pc-b is not serving this project now (it is standby). The Server is pc-a.' },
  ])('$case refuses and names the Server', ({ who, reply, text }) => {
    let target: HarnessNode;
    if (who === 'candidate') {
      target = pairNode('pc-b');
      target.boot(T0);
    } else {
      target = serverAndStandby().standby;
    }
    const effects = target.step(commandInput(T0 + 2_000, 'r1'));
    expect(showEffects(effects)).toEqual([reply]);
    expect(repliesOf(effects)[0]?.reply).toMatchObject({ ok: false, message: text });
  });

  it('the Server confirms a command once the live Standby has persisted it', () => {
    const { server, standby, nowMs } = raised();
    const effects = server.step(commandInput(nowMs + 10, 'r1'));
    expect(showEffects(effects)).toEqual(['append@2 command,alarm', 'publish 4-5', 'send@2 append after 3: 4-5']);
    expect(showEffects(deliver(server, standby, nowMs + 20))).toEqual(['appendReplicated 4-5', 'send@2 ack 5']);
    const confirmed = deliver(standby, server, nowMs + 30);
    expect(showEffects(confirmed)).toEqual(['reply r1 ok applied']);
    expect(repliesOf(confirmed)[0]?.reply).toMatchObject({ ok: true, applied: true, degraded: false, alarms: [{ alarmId: 'Blink.On', state: 'ackActive', ackUser: 'ann' }] });
  });

  it('an ack that covers only part of the log confirms only what it covers', () => {
    const { server, nowMs } = raised();
    server.step(samplesInput(nowMs + 10, 1));
    server.step(commandInput(nowMs + 20, 'r1'));
    const ack = (seq: number) => showEffects(server.step(fromPeer(nowMs + 30, 'pc-b', 2, { type: 'ack', seq })));
    expect(ack(4)).toEqual([]);
    expect(ack(6)).toEqual(['reply r1 ok applied']);
  });

  it('with the Standby silent, the Server confirms at once and says redundancy is degraded', () => {
    const { server, nowMs } = raised();
    server.tickUntil(nowMs + TIMEOUT_MS);
    const effects = server.step(commandInput(nowMs + TIMEOUT_MS, 'r1'));
    expect(showEffects(effects)).toEqual(['append@2 command,alarm', 'publish 4-5', 'send@2 append after 3: 4-5', 'reply r1 ok applied degraded']);
    expect(server.engine.degraded).toBe(true);
  });

  it('a command waiting for a Standby that falls silent is confirmed as degraded once the Standby counts as down', () => {
    const { server, nowMs } = raised();
    server.step(commandInput(nowMs + 10, 'r1'));
    expect(repliesOf(server.tickUntil(nowMs + TIMEOUT_MS - 1))).toEqual([]);
    expect(showKinds(server.tick(nowMs + TIMEOUT_MS), 'reply')).toEqual(['reply r1 ok applied degraded']);
  });

  it('a retry of a confirmed command changes nothing and says so', () => {
    const { server, standby, nowMs } = raised();
    server.step(commandInput(nowMs + 10, 'r1'));
    exchangeUntilQuiet(server, standby, nowMs + 10);
    const retry = server.step(commandInput(nowMs + 20, 'r1', true));
    expect(showEffects(retry)).toEqual(['reply r1 ok already']);
    expect(repliesOf(retry)[0]?.reply).toMatchObject({ alarms: [{ alarmId: 'Blink.On', state: 'ackActive' }] });
    expect(server.store.seq).toBe(5);
  });

  it('a retry of a command still waiting for the Standby gets the one reply, at confirmation', () => {
    const { server, standby, nowMs } = raised();
    server.step(commandInput(nowMs + 10, 'r1'));
    expect(showEffects(server.step(commandInput(nowMs + 20, 'r1', true)))).toEqual([]);
    deliver(server, standby, nowMs + 30);
    expect(showKinds(deliver(standby, server, nowMs + 30), 'reply')).toEqual(['reply r1 ok applied']);
    expect(repliesOf(server.tickUntil(nowMs + 5_000))).toEqual([]);
  });

  it.each([
    { case: 'an unknown alarm', request: { requestId: 'r1', user: 'ann', command: { kind: 'ack', alarmIds: ['Nope'], comment: '' } } as CommandRequest, reply: 'reply r1 notFound server=pc-a' },
    { case: 'nothing to acknowledge', request: { requestId: 'r1', user: 'ann', command: { kind: 'unshelve', alarmId: 'Blink.On', comment: '' } } as CommandRequest, reply: 'reply r1 conflict server=pc-a' },
  ])('the Server refuses $case without logging it', ({ request, reply }) => {
    const { server, nowMs } = raised();
    expect(showEffects(server.step({ kind: 'command', nowMs: nowMs + 10, request, logged: false }))).toEqual([reply]);
    expect(server.store.seq).toBe(3);
  });
});
