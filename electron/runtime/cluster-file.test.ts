import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ClusterFileError, loadClusterFile, membershipOf } from './cluster-file.js';
import { DEMO_PROJECT_FILE } from './package-paths.js';

const SECRET = 'Kx7-very-secret-value-42';
const scratch = mkdtempSync(join(tmpdir(), 'tandem-cluster-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function goodCluster(): Record<string, unknown> {
  return {
    cluster: 'line-1',
    secret: SECRET,
    nodes: { 'pc-a': 'http://10.0.0.1:7480/', 'pc-b': 'http://10.0.0.2:7481', 'pc-c': 'https://pc-c.plant' },
    projects: [
      { id: 'demo', file: 'demo', server: 'pc-a', standby: 'pc-b' },
      { id: 'boiler', file: 'projects/boiler.json', server: 'pc-c', standby: 'pc-a', failback: 'manual' },
    ],
  };
}

let written = 0;
function writeCluster(content: unknown): string {
  const file = join(scratch, `cluster-${++written}.json`);
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

function loadError(file: string): string {
  try {
    loadClusterFile(file);
  } catch (error) {
    expect(error).toBeInstanceOf(ClusterFileError);
    return (error as Error).message;
  }
  throw new Error(`expected ${file} to be refused`);
}

describe('loadClusterFile', () => {
  it('reads a good file, fills the defaults and resolves project files', () => {
    const file = writeCluster(goodCluster());
    const cluster = loadClusterFile(file);
    expect(cluster.path).toBe(file);
    expect(cluster.cluster).toBe('line-1');
    expect(cluster.timing).toEqual({ heartbeatMs: 200, failureTimeoutMs: 1000 });
    expect(cluster.projects[0]).toMatchObject({ id: 'demo', file: DEMO_PROJECT_FILE, builtInDemo: true, failback: 'automatic' });
    expect(cluster.projects[1]).toMatchObject({ file: join(scratch, 'projects', 'boiler.json'), builtInDemo: false, failback: 'manual' });
  });

  it('resolves a relative path against the cluster file folder, not the working directory', () => {
    const folder = join(scratch, 'site');
    mkdirSync(folder, { recursive: true });
    const file = join(folder, 'cluster.json');
    writeFileSync(file, JSON.stringify({ ...goodCluster(), projects: [{ id: 'p', file: '../p.json', server: 'pc-a', standby: 'pc-b' }] }));
    expect(loadClusterFile(file).projects[0]!.file).toBe(join(scratch, 'p.json'));
  });

  const bad: Array<[string, () => string, RegExp]> = [
    ['a missing file', () => join(scratch, 'nope.json'), /: cannot read it: no such file$/],
    ['a folder', () => scratch, /: cannot read it: it is a folder$/],
    ['broken JSON around the secret', () => writeCluster(`{"cluster": "line-1", "secret": ${SECRET}}`), /: not valid JSON: Unexpected token$/],
    ['an unterminated string', () => writeCluster(`{\n  "secret": "${SECRET}`), /: not valid JSON: Unterminated string at line 2, column \d+$/],
    ['a document that is the secret alone', () => writeCluster(JSON.stringify(SECRET)), /: \(document\): .*expected object/],
    ['a short secret', () => writeCluster({ ...goodCluster(), secret: SECRET.slice(0, 10) }), /: secret: the secret must have at least 16 characters$/],
    ['a secret that is not a string', () => writeCluster({ ...goodCluster(), secret: 123456789012345678 }), /: secret: .*expected string/],
    ['no secret', () => writeCluster({ ...goodCluster(), secret: undefined }), /: secret: is missing \(expected string\)$/],
    ['a node address that is not http', () => writeCluster({ ...goodCluster(), nodes: { 'pc-a': 'ftp://x', 'pc-b': 'http://b' } }), /: nodes\.pc-a: a node address must be an http:\/\/ or https:\/\/ URL, got "ftp:\/\/x"$/],
    ['a bad node name', () => writeCluster({ ...goodCluster(), nodes: { 'pc a': 'http://a', 'pc-b': 'http://b' } }), /: nodes\.pc a: .*use letters, digits/],
    ['an unknown key', () => writeCluster({ ...goodCluster(), heartbeat: 100 }), /: \(document\): Unrecognized key: "heartbeat"$/],
    ['a failure timeout under three heartbeats', () => writeCluster({ ...goodCluster(), timing: { heartbeatMs: 500, failureTimeoutMs: 1000 } }), /: timing: failureTimeoutMs must be at least 3 heartbeats/],
    ['one node as server and standby', () => writeCluster({ ...goodCluster(), projects: [{ id: 'p', file: 'p.json', server: 'pc-a', standby: 'pc-a' }] }), /: projects\[0\]: server and standby must be two different nodes$/],
    ['an undeclared node', () => writeCluster({ ...goodCluster(), projects: [{ id: 'p', file: 'p.json', server: 'pc-a', standby: 'pc-x' }] }), /: projects\[0\]\.standby: node "pc-x" is not declared in nodes$/],
    ['a project listed twice', () => writeCluster({ ...goodCluster(), projects: [{ id: 'p', file: 'p.json', server: 'pc-a', standby: 'pc-b' }, { id: 'p', file: 'q.json', server: 'pc-b', standby: 'pc-a' }] }), /: projects\[1\]\.id: project "p" is listed twice$/],
    ['two nodes at one address', () => writeCluster({ ...goodCluster(), nodes: { 'pc-a': 'http://10.0.0.1:7480', 'pc-b': 'http://10.0.0.1:7480/x', 'pc-c': 'http://c' } }), /: nodes\.pc-b: has the same address \(10\.0\.0\.1:7480\) as node pc-a; each node needs its own$/],
  ];

  it.each(bad)('refuses %s, naming the file and the problem but never the secret', (_, makeFile, problem) => {
    const file = makeFile();
    const message = loadError(file);
    expect(message).toMatch(problem);
    expect(message.startsWith(`cluster file ${file}: `)).toBe(true);
    expect(message).not.toContain(SECRET);
    expect(message).not.toContain(SECRET.slice(0, 10));
  });

  it('reports every problem of a file, one line each', () => {
    const file = writeCluster({ ...goodCluster(), cluster: 'line 1', nodes: { 'pc-a': 'mailto:x', 'pc-b': 'http://b' } });
    const lines = loadError(file).split('\n');
    expect(lines).toHaveLength(2);
    for (const line of lines) expect(line.startsWith(`cluster file ${file}: `)).toBe(true);
  });
});

describe('membershipOf', () => {
  const cluster = loadClusterFile(writeCluster(goodCluster()));

  it('lists the projects of a node, its preferred role and peer in each, and its peers', () => {
    const membership = membershipOf(cluster, 'pc-a');
    expect(membership.projects.map((p) => [p.project.id, p.preferredRole, p.peer])).toEqual([
      ['demo', 'server', 'pc-b'],
      ['boiler', 'standby', 'pc-c'],
    ]);
    expect(membership.peers).toEqual(new Map([['pc-b', 'http://10.0.0.2:7481'], ['pc-c', 'https://pc-c.plant']]));
    expect(membership.listenPort).toBe(7480);
  });

  it('listens on the default port of a URL without one', () => {
    expect(membershipOf(cluster, 'pc-c').listenPort).toBe(443);
  });

  it('refuses a node the cluster does not name, listing the nodes it does', () => {
    expect(() => membershipOf(cluster, 'pc-d')).toThrow(
      new ClusterFileError(`node pc-d is not in cluster line-1 (nodes: pc-a, pc-b, pc-c); start it with --node set to one of these, or add it to ${cluster.path}`),
    );
  });

  it('refuses a node that serves no project', () => {
    const idle = loadClusterFile(writeCluster({ ...goodCluster(), nodes: { ...goodCluster().nodes as object, 'pc-d': 'http://10.0.0.4:7480' } }));
    expect(() => membershipOf(idle, 'pc-d')).toThrow(/node pc-d is in cluster line-1 but is the server or standby of none of its projects/);
  });
});
