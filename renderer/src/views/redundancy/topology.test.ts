import { describe, expect, it } from 'vitest';
import { projectStatus } from '../../test/fixtures.js';
import { layoutTopology } from './topology-layout.js';
import { buildTopology } from './topology-model.js';

const standbyB = projectStatus({ role: 'standby', peer: { node: 'pc-a', link: 'up', role: 'server', heartbeatRttMs: 3, lastHeardMsAgo: 40, drivers: null } });

describe('topology of a project', () => {
  it('shows each node in its role, the station served by the Server, and one link per pair', () => {
    const topology = buildTopology('fast', [
      { node: 'pc-a', link: 'data', status: projectStatus() },
      { node: 'pc-b', link: 'control', status: standbyB },
    ], 'pc-a');
    expect(topology.nodes.map((n) => [n.id, n.duty, n.servesStation])).toEqual([
      ['pc-a', 'server', true],
      ['pc-b', 'standby', false],
    ]);
    expect(topology.links).toEqual([{ a: 'pc-a', b: 'pc-b', state: 'up' }]);
  });

  it('draws the peer link cut when either end says so, unknown when no end answers', () => {
    const cutSeenByA = projectStatus({ peer: { node: 'pc-b', link: 'down', role: null, heartbeatRttMs: null, lastHeardMsAgo: 2_000, drivers: null } });
    expect(buildTopology('fast', [{ node: 'pc-a', link: 'data', status: cutSeenByA }, { node: 'pc-b', link: 'control', status: standbyB }], 'pc-a').links[0]!.state).toBe('down');
    expect(buildTopology('fast', [{ node: 'pc-a', link: 'down', status: null }, { node: 'pc-b', link: 'down', status: null }], null).links).toEqual([{ a: 'pc-a', b: 'pc-b', state: 'unknown' }]);
  });

  it('marks a node out of service whichever node reports it', () => {
    const out = projectStatus({ roles: { preferred: 'pc-a', frozen: false, outOfService: ['pc-b'] }, degraded: true });
    const topology = buildTopology('fast', [{ node: 'pc-a', link: 'data', status: out }, { node: 'pc-b', link: 'control', status: standbyB }], 'pc-a');
    expect(topology.nodes.map((n) => n.duty)).toEqual(['server', 'outOfService']);
    expect(topology.nodes[0]!.degraded).toBe(true);
  });
});

describe('topology layout', () => {
  const box = { x: 0, y: 0, width: 400, height: 200 };
  const nodes = (ids: string[]) => buildTopology('p', ids.map((node) => ({ node, link: 'control' as const, status: null })), null);

  it('puts a pair side by side above the station, with lines from the station to each', () => {
    const layout = layoutTopology(nodes(['pc-a', 'pc-b']), box);
    const [a, b] = layout.nodes;
    expect(a!.y).toBe(b!.y);
    expect(a!.x).toBeLessThan(200);
    expect(b!.x).toBeGreaterThan(200);
    expect(layout.station.y).toBeGreaterThan(a!.y);
    expect(layout.peerLinks[0]).toMatchObject({ x1: a!.x, x2: b!.x, midX: 200 });
    expect(layout.stationLinks.map((l) => [l.x2, l.y2])).toEqual([[a!.x, a!.y], [b!.x, b!.y]]);
  });

  it('spreads more nodes on a ring inside the box without two at the same place', () => {
    const layout = layoutTopology(nodes(['n1', 'n2', 'n3', 'n4']), box);
    const places = new Set(layout.nodes.map((n) => `${n.x},${n.y}`));
    expect(places.size).toBe(4);
    for (const n of layout.nodes) {
      expect(n.x).toBeGreaterThanOrEqual(0);
      expect(n.x).toBeLessThanOrEqual(400);
      expect(n.y).toBeGreaterThanOrEqual(0);
      expect(n.y).toBeLessThan(layout.station.y);
    }
  });
});
