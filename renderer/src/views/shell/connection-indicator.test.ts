import { describe, expect, it } from 'vitest';
import { connectionText } from './connection-indicator.js';

describe('connectionText', () => {
  it('names the serving node, or how long the link has been lost', () => {
    expect(connectionText('connected', 'pc-a', 0)).toBe('Connected to pc-a');
    expect(connectionText('lost', 'pc-a', 3_200)).toBe('Connection lost 3 s ago — reconnecting');
  });
});
