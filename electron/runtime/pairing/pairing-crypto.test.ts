import { describe, expect, it } from 'vitest';
import { commitmentMatches, commitmentOf, newKeys, newNonce, open, pairingCode, proofMatches, proofOf, seal, sessionKeys, type Transcript } from './pairing-crypto.js';

function pairOfSides() {
  const server = newKeys();
  const standby = newKeys();
  const t: Transcript = { id: 'a'.repeat(32), server: 'pc-a', standby: 'pc-b', project: 'demo', serverKey: server.publicKey, standbyKey: standby.publicKey, serverNonce: newNonce(), standbyNonce: newNonce() };
  return { server, standby, t };
}

describe('pairing crypto', () => {
  it('both sides compute the same six-digit code and keys from their own private key', () => {
    const { server, standby, t } = pairOfSides();
    const code = pairingCode(t);
    expect(code).toMatch(/^\d{6}$/);
    const onServer = sessionKeys(server.privateKey, t.standbyKey, t, code);
    const onStandby = sessionKeys(standby.privateKey, t.serverKey, t, code);
    expect(proofMatches(onServer, 'standby', t, proofOf(onStandby, 'standby', t))).toBe(true);
    expect(open(onStandby, t, seal(onServer, t, 'the document'))).toBe('the document');
  });

  it('a man in the middle with his own keys gets another code on each side', () => {
    const { t } = pairOfSides();
    const attacker = newKeys();
    // He swaps the standby's key toward the server: the transcripts differ, and so do the codes.
    expect(pairingCode({ ...t, standbyKey: attacker.publicKey })).not.toBe(pairingCode(t));
  });

  it('a proof of one role or transcript does not pass for another', () => {
    const { server, t } = pairOfSides();
    const keys = sessionKeys(server.privateKey, t.standbyKey, t, pairingCode(t));
    const proof = proofOf(keys, 'standby', t);
    expect(proofMatches(keys, 'server', t, proof)).toBe(false);
    expect(proofMatches(keys, 'standby', { ...t, project: 'other' }, proof)).toBe(false);
  });

  it('a sealed document opens only with the keys of its transcript and the right code', () => {
    const { server, standby, t } = pairOfSides();
    const box = seal(sessionKeys(server.privateKey, t.standbyKey, t, pairingCode(t)), t, 'secret');
    expect(() => open(sessionKeys(standby.privateKey, t.serverKey, t, '000000'), t, box)).toThrow();
    expect(() => open(sessionKeys(standby.privateKey, t.serverKey, t, pairingCode(t)), { ...t, id: 'b'.repeat(32) }, box)).toThrow();
  });

  it('the commitment binds the nonce revealed later', () => {
    const { server } = pairOfSides();
    const nonce = newNonce();
    const commitment = commitmentOf(server.publicKey, nonce);
    expect(commitmentMatches(commitment, server.publicKey, nonce)).toBe(true);
    expect(commitmentMatches(commitment, server.publicKey, newNonce())).toBe(false);
  });
});
