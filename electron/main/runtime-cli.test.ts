import { describe, expect, it } from 'vitest';
import { dataDirOf, listeningUrl, runtimeArgs, withPort } from './runtime-cli.js';

describe('runtimeArgs', () => {
  it('forwards only the runtime flags among Electron, Chromium and Playwright switches', () => {
    const argv = ['/opt/electron', '.', '--inspect=0', '--remote-debugging-port=0', '--project', 'plant.json', '--node=ws-2'];
    expect(runtimeArgs(argv, '/home/op/.config/tandem/data')).toEqual([
      'serve', '--project', 'plant.json', '--node', 'ws-2', '--data', '/home/op/.config/tandem/data', '--port', '0',
    ]);
  });

  it('keeps a port and data folder the user chose', () => {
    expect(runtimeArgs(['Tandem.exe', '--port', '7500', '--data=D:\\tandem'], 'C:\\default')).toEqual([
      'serve', '--port', '7500', '--data', 'D:\\tandem',
    ]);
  });

  it('passes a flag given without its value on, so the runtime says what is missing', () => {
    expect(runtimeArgs(['tandem', '--project'], '/data')).toEqual(['serve', '--project', '', '--data', '/data', '--port', '0']);
  });
});

describe('withPort', () => {
  it('pins the port a runtime got, so its restart keeps the same origin', () => {
    expect(withPort(['serve', '--port', '0', '--data', '/d'], '41234')).toEqual(['serve', '--port', '41234', '--data', '/d']);
  });
});

describe('listeningUrl', () => {
  it('reads the address from the listening line only', () => {
    expect(listeningUrl('Tandem listening on http://127.0.0.1:54321/')).toBe('http://127.0.0.1:54321/');
    expect(listeningUrl('Tandem 0.1.0: node "a", project "demo" (built-in demo), data /tmp/x')).toBeUndefined();
    expect(listeningUrl('2025-01-01T00:00:00.000Z info  Tandem listening on http://127.0.0.1:1/')).toBeUndefined();
  });

  it('reaches a runtime that listens on every interface over loopback, in plain HTTP as this PC may', () => {
    expect(listeningUrl('Tandem listening on https://0.0.0.0:7480/')).toBe('http://127.0.0.1:7480/');
    expect(listeningUrl('Tandem listening on https://[::]:7480/')).toBe('http://[::1]:7480/');
    // On one network address only: over TLS, with the node's own (pinned) certificate.
    expect(listeningUrl('Tandem listening on https://10.0.0.12:7480/')).toBe('https://10.0.0.12:7480/');
  });
});

describe('dataDirOf', () => {
  it('finds the data folder the runtime was given', () => {
    expect(dataDirOf(runtimeArgs(['tandem', '--data=/plant/data'], '/default'))).toBe('/plant/data');
    expect(dataDirOf(runtimeArgs(['tandem'], '/default'))).toBe('/default');
  });
});
