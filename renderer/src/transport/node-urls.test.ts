import { describe, expect, it } from 'vitest';
import { addressesFrom, apiUrl, webSocketUrl } from './node-urls.js';

const page = { protocol: 'http:', host: 'plant-a:8080', origin: 'http://plant-a:8080' };

describe('node URLs', () => {
  it('reaches the page’s own node relatively, the others at their URL, an unlisted one where it reported from', () => {
    const addresses = addressesFrom(
      [
        { node: 'pc-a', url: 'http://10.0.0.1:8080' },
        { node: 'pc-b', url: 'http://10.0.0.2:8080' },
        { node: 'pc-c', url: null },
      ],
      'http://10.0.0.3:8080',
      'pc-a',
    );
    expect([...addresses]).toEqual([
      ['pc-a', null],
      ['pc-b', 'http://10.0.0.2:8080'],
      ['pc-c', 'http://10.0.0.3:8080'],
    ]);
  });

  it('builds API and WebSocket URLs', () => {
    expect(apiUrl('/api/status', null, page)).toBe('http://plant-a:8080/api/status');
    expect(apiUrl('/api/status', 'http://10.0.0.2:8080', page)).toBe('http://10.0.0.2:8080/api/status');
    expect(webSocketUrl(null, page)).toBe('ws://plant-a:8080/ws');
    expect(webSocketUrl('https://10.0.0.2:8443/', page)).toBe('wss://10.0.0.2:8443/ws');
  });
});
