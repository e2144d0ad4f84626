import { describe, expect, it } from 'vitest';
import { maskKey, newCode, newKeys, newPairingId, open, proofMatches, proofOf, seal, sessionKeys, unmaskKey, type Transcript } from './pairing-crypto.js';

/** One attempt as both sides see it when the Standby types `typed` for the Server's `code`. */
function attempt(typed?: string) {
  const id = newPairingId();
  const code = newCode();
  const server = newKeys();
  const standby = newKeys();
  const entered = typed ?? code;
  const t: Transcript = { id, server: 'pc-a', standby: 'pc-b', project: 'demo', serverMasked: maskKey(server.publicKey, code, id, 'server'), standbyMasked: maskKey(standby.publicKey, entered, id, 'standby') };
  const onServer = sessionKeys(server.privateKey, unmaskKey(t.standbyMasked, code, id, 'standby'), t, code);
  const onStandby = sessionKeys(standby.privateKey, unmaskKey(t.serverMasked, entered, id, 'server'), t, entered);
  return { code, t, onServer, onStandby };
}

describe('pairing crypto (EKE with X25519 keys masked by the code)', () => {
  it('with the right code both sides derive the same keys: proofs pass, the sealed document opens', () => {
    const { code, t, onServer, onStandby } = attempt();
    expect(code).toMatch(/^\d{6}$/);
    expect(proofMatches(onServer!, 'standby', t, proofOf(onStandby!, 'standby', t))).toBe(true);
    expect(open(onStandby!, t, seal(onServer!, t, 'the document'))).toBe('the document');
  });

  it('with a wrong code the Standby\'s proof fails on the Server', () => {
    const { code, t, onServer, onStandby } = attempt('000000');
    expect(code === '000000' || onStandby === null || !proofMatches(onServer!, 'standby', t, proofOf(onStandby, 'standby', t))).toBe(true);
  });

  it('a masked key unmasks to the key only with the code; the top bit never tells', () => {
    const keys = newKeys();
    const id = newPairingId();
    const masked = maskKey(keys.publicKey, '123456', id, 'server');
    expect(unmaskKey(masked, '123456', id, 'server')).toBe(keys.publicKey);
    expect(unmaskKey(masked, '123457', id, 'server')).not.toBe(keys.publicKey);
    expect(unmaskKey(masked, '123456', id, 'standby')).not.toBe(keys.publicKey);
  });

  it('a proof of one role or transcript does not pass for another', () => {
    const { t, onServer } = attempt();
    const proof = proofOf(onServer!, 'standby', t);
    expect(proofMatches(onServer!, 'server', t, proof)).toBe(false);
    expect(proofMatches(onServer!, 'standby', { ...t, project: 'other' }, proof)).toBe(false);
  });

  it('a sealed document opens only for its transcript', () => {
    const { t, onServer, onStandby } = attempt();
    const box = seal(onServer!, t, 'secret');
    expect(() => open(onStandby!, { ...t, standby: 'pc-x' }, box)).toThrow();
  });
});
