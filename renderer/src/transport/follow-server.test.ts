import { describe, expect, it } from 'vitest';
import type { ProjectStatus } from '../../../shared/protocol/api.js';
import {
  chooseDataNode,
  connectDelayMs,
  initialFollow,
  withConnecting,
  withDataLost,
  withDataUp,
  withHealth,
  withNamedServer,
  withServed,
  withStatus,
  type FollowState,
} from './follow-server.js';

function status(overrides: Partial<ProjectStatus>): ProjectStatus {
  return {
    id: 'fast',
    name: 'Fast',
    role: 'server',
    epoch: 4,
    seq: 100,
    server: 'pc-a',
    stateHash: '0',
    drivers: [],
    alarmsActive: 0,
    alarmsUnacknowledged: 0,
    peer: null,
    replication: { lagOps: 0, lagMs: 0 },
    alignmentProgress: 1,
    degraded: false,
    nodes: [
      { node: 'pc-a', url: 'http://a:1' },
      { node: 'pc-b', url: 'http://b:2' },
    ],
    ...overrides,
  };
}

/** A station served by pc-a (epoch 4), with a heard control connection to pc-b. */
function servedByA(): FollowState {
  let s = withConnecting(initialFollow(), null);
  s = withDataUp(s, 'pc-a');
  s = withStatus(s, 'pc-a', status({}));
  s = withServed(s);
  return withHealth(s, 'pc-b', 'up');
}

describe('choosing the node for the data connection', () => {
  it('stays on the page’s own node until its name and the pair are known', () => {
    const s = withConnecting(initialFollow(), null);
    expect(chooseDataNode(s)).toBeNull();
    expect(chooseDataNode(withDataLost(s))).toBeNull();
  });

  it('stays on the Server while it serves', () => {
    expect(chooseDataNode(servedByA())).toBe('pc-a');
  });

  it('goes to the other node at once when the Server’s connection is lost', () => {
    const s = withDataLost(servedByA());
    expect(chooseDataNode(s)).toBe('pc-b');
    expect(connectDelayMs(s, 'pc-b')).toBe(0);
  });

  it('waits on a Standby while the named Server is down, and stays when it takes over', () => {
    let s = withConnecting(withDataLost(servedByA()), 'pc-b');
    s = withDataUp(s, 'pc-b');
    s = withStatus(s, 'pc-b', status({ role: 'standby', server: 'pc-a', epoch: 4 }));
    expect(chooseDataNode(s)).toBe('pc-b');
    s = withStatus(s, 'pc-b', status({ role: 'server', server: 'pc-b', epoch: 5 }));
    expect(s.named).toEqual({ node: 'pc-b', epoch: 5 });
    expect(chooseDataNode(s)).toBe('pc-b');
  });

  it('moves to the Server a node names when it stops serving (planned switchover)', () => {
    const s = withStatus(servedByA(), 'pc-a', status({ role: 'aligning', server: 'pc-b', epoch: 6 }));
    expect(chooseDataNode(s)).toBe('pc-b');
    expect(connectDelayMs(s, 'pc-b')).toBe(0);
  });

  it('goes back to the named Server once it is heard again (only the station’s link to it had failed)', () => {
    let s = withConnecting(withDataLost(servedByA()), 'pc-b');
    s = withDataUp(s, 'pc-b');
    s = withStatus(s, 'pc-b', status({ role: 'standby', server: 'pc-a', epoch: 4 }));
    expect(chooseDataNode(s)).toBe('pc-b');
    expect(chooseDataNode(withHealth(s, 'pc-a', 'up'))).toBe('pc-a');
  });

  it('ignores a Server named with an older epoch, and a node that does not claim to serve', () => {
    let s = withStatus(servedByA(), 'pc-b', status({ role: 'server', server: 'pc-b', epoch: 5 }));
    expect(s.named).toEqual({ node: 'pc-b', epoch: 5 });
    expect(withNamedServer(s, 'pc-a', 4).named).toEqual({ node: 'pc-b', epoch: 5 });
    s = servedByA();
    expect(withStatus(s, 'pc-b', status({ role: 'standby', server: 'pc-b', epoch: 9 })).named).toEqual({ node: 'pc-a', epoch: 4 });
  });

  it('moves at once from the page’s own node, a Standby, to the Server it names once that is heard', () => {
    let s = withDataUp(withConnecting(initialFollow(), null), 'pc-b');
    s = withNamedServer(s, 'pc-a', 4);
    expect(chooseDataNode(s)).toBe('pc-b');
    s = withStatus(s, 'pc-b', status({ role: 'standby', server: 'pc-a', epoch: 4 }));
    s = withHealth(s, 'pc-a', 'up');
    expect(chooseDataNode(s)).toBe('pc-a');
    expect(connectDelayMs(s, 'pc-a')).toBe(0);
  });

  it('tries the nodes in turn, those heard first, when none can be reached', () => {
    const three = status({ nodes: ['pc-a', 'pc-b', 'pc-c'].map((node) => ({ node, url: `http://${node}:1` })) });
    let s = withStatus(withDataUp(withConnecting(initialFollow(), null), 'pc-a'), 'pc-a', three);
    s = withDataLost(s);
    expect(chooseDataNode(s)).toBe('pc-b');
    s = withDataLost(withConnecting(s, 'pc-b'));
    expect(chooseDataNode(s)).toBe('pc-c');
    expect(chooseDataNode(withHealth(s, 'pc-a', 'up'))).toBe('pc-a');
    s = withDataLost(withConnecting(s, 'pc-c'));
    expect(chooseDataNode(s)).toBe('pc-a');
  });

  it('tries a heard node at once, then spaces out tries up to 2 s until a node serves again', () => {
    let s = withDataLost(servedByA());
    const delays: number[] = [];
    for (let i = 0; i < 6; i++) {
      const node = chooseDataNode(s);
      delays.push(connectDelayMs(s, node));
      s = withDataLost(withConnecting(s, node));
    }
    expect(delays).toEqual([0, 500, 1_000, 2_000, 2_000, 2_000]);
    expect(connectDelayMs(withServed(s), 'pc-b')).toBe(250);
    expect(connectDelayMs(withHealth(withServed(s), 'pc-b', 'up'), 'pc-b')).toBe(0);
  });

  it('backs off when two nodes each name the other as Server', () => {
    let s = servedByA();
    const delays: number[] = [];
    for (let i = 0; i < 4; i++) {
      const from = s.data!;
      const other = from === 'pc-a' ? 'pc-b' : 'pc-a';
      s = withStatus(s, from, status({ role: 'standby', server: other, epoch: 4 }));
      const node = chooseDataNode(s);
      expect(node).toBe(other);
      delays.push(connectDelayMs(s, node));
      s = withDataUp(withConnecting(s, node), node!);
      s = withHealth(s, from, 'up');
    }
    expect(delays).toEqual([0, 0, 1_000, 2_000]);
  });
});
