import { describe, expect, it } from 'vitest';
import { connectionText } from './connection-indicator.js';

describe('connectionText', () => {
  it('names the node, says when it does not serve yet, or how long the link has been lost', () => {
    expect(connectionText({ state: 'connected', node: 'pc-a', serving: true, role: 'server' }, 0)).toBe('Connected to pc-a');
    expect(connectionText({ state: 'connected', node: 'pc-b', serving: false, role: 'standby' }, 0)).toBe(
      'Connected to pc-b (Standby) — waiting for a Server',
    );
    expect(connectionText({ state: 'connecting', node: 'pc-b', serving: false, role: null }, 0)).toBe('Connecting to pc-b…');
    expect(connectionText({ state: 'lost', node: 'pc-a', serving: false, role: 'server' }, 3_200)).toBe('Connection lost 3 s ago — reconnecting');
  });
});
