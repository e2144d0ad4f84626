import { describe, expect, it } from 'vitest';
import { nodeUrlOf } from './server-side.js';

describe('the address an operator types for the other PC', () => {
  it.each([
    // Without a scheme: TLS, as every node speaks it to other PCs.
    ['10.0.0.12', 'https://10.0.0.12:7480/'],
    ['10.0.0.12:7500', 'https://10.0.0.12:7500/'],
    ['pc-b', 'https://pc-b:7480/'],
    [' pc-b:443 ', 'https://pc-b/'],
    ['http://10.0.0.12:7500/overview', 'http://10.0.0.12:7500/'],
    ['https://pc-b.plant.local', 'https://pc-b.plant.local:7480/'],
    ['[fd00::12]:7481', 'https://[fd00::12]:7481/'],
  ])('%s -> %s', (typed, url) => {
    expect(nodeUrlOf(typed.trim())).toBe(url);
  });

  it('refuses what is not an address, saying what to type', () => {
    expect(() => nodeUrlOf('pc b')).toThrow(/"pc b" is not an address; type the other PC's name or IP address, with ":port" if it is not 7480/);
  });
});
