import { describe, expect, it } from 'vitest';
import { witnessFrame, witnessRecipients } from './witness.js';

describe('witness frames', () => {
  it('tell how long the Server has been silent on the data connection', () => {
    expect(witnessFrame('fast', { node: 'pc-a', epoch: 4 }, 1_000, 1_512)).toEqual({
      type: 'witness',
      project: 'fast',
      server: 'pc-a',
      epoch: 4,
      silentForMs: 512,
    });
  });

  it('say nothing before the station was ever served', () => {
    expect(witnessFrame('fast', null, null, 5)).toBeNull();
    expect(witnessFrame(null, { node: 'pc-a', epoch: 4 }, 1, 5)).toBeNull();
  });

  it('go to every node but the Server they are about', () => {
    const frame = witnessFrame('fast', { node: 'pc-a', epoch: 4 }, 0, 0)!;
    expect(witnessRecipients(frame, ['pc-a', 'pc-b'])).toEqual(['pc-b']);
  });
});
