import { describe, expect, it } from 'vitest';
import { certificateHint } from './certificate-hint.js';

describe('the hint to accept a node certificate', () => {
  it('points a browser that cannot reach a node over https to its address', () => {
    expect(certificateHint('down', 'https://10.0.0.12:7480/', false)).toBe('https://10.0.0.12:7480/');
  });

  it('says nothing while the node answers, over plain http, without an address, or in the desktop app', () => {
    expect(certificateHint('control', 'https://10.0.0.12:7480/', false)).toBeNull();
    expect(certificateHint('connecting', 'https://10.0.0.12:7480/', false)).toBeNull();
    expect(certificateHint('down', 'http://127.0.0.1:7102/', false)).toBeNull();
    expect(certificateHint('down', null, false)).toBeNull();
    expect(certificateHint('down', 'https://10.0.0.12:7480/', true)).toBeNull();
  });
});
