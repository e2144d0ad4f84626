import { describe, expect, it } from 'vitest';
import { COMMAND_RETRY_DELAYS_MS, retryTarget, serverNamedIn } from './command-post.js';

const nodes = ['pc-a', 'pc-b'];
const none = () => false;

describe('following a switchover with a command', () => {
  it('reads the Server a refusal names, among the project’s nodes only', () => {
    expect(serverNamedIn('pc-a is not serving this project now (it is standby). The Server is pc-b.', nodes)).toBe('pc-b');
    expect(serverNamedIn('pc-b is not serving this project now (it is aligning).', nodes)).toBeNull();
    expect(serverNamedIn('The Server is pc-z.', nodes)).toBeNull();
  });

  it('sends it straight to the named Server, else to the node the station follows after the next delay', () => {
    expect(retryTarget('pc-a', 'pc-b', 'pc-a', none, 0)).toEqual({ node: 'pc-b', delayMs: 0 });
    expect(retryTarget('pc-b', 'pc-a', 'pc-b', (n) => n === 'pc-a', 1)).toEqual({ node: 'pc-b', delayMs: 500 });
    expect(retryTarget('pc-a', null, 'pc-b', none, 0)).toEqual({ node: 'pc-b', delayMs: 250 });
  });

  it('gives up after a few tries', () => {
    expect(retryTarget('pc-a', 'pc-b', 'pc-a', none, COMMAND_RETRY_DELAYS_MS.length)).toBeNull();
  });
});
