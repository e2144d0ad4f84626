import { describe, expect, it } from 'vitest';
import type { HandshakeFrame } from './handshake-frames.js';
import { AcceptorHandshake, DialerHandshake, type HandshakeStep, type PeerIdentity } from './handshake.js';

const SECRET = 'line-1 shared secret 0123456789';

function identity(self: string, change: Partial<PeerIdentity> = {}): PeerIdentity {
  const peers = new Set(['pc-a', 'pc-b', 'pc-c'].filter((node) => node !== self));
  return { cluster: 'line-1', secret: SECRET, self, peers, ...change };
}

/** The frame a step sends; the handshake went on when the test expected it to. */
function frameOf(step: HandshakeStep): HandshakeFrame {
  if (step.kind === 'refuse' || step.frame === null) throw new Error(`expected a frame, got ${JSON.stringify(step)}`);
  return step.frame;
}

/** Frames cross the wire as JSON. */
const wire = (frame: HandshakeFrame): unknown => JSON.parse(JSON.stringify(frame));

describe('peer handshake', () => {
  it('brings both sides up, each knowing the other, without the secret in any frame', () => {
    const dialer = new DialerHandshake(identity('pc-a'), 'pc-b');
    const acceptor = new AcceptorHandshake(identity('pc-b'));
    const hello = dialer.start();
    const challenge = frameOf(acceptor.step(wire(hello)));
    const answer = frameOf(dialer.step(wire(challenge)));
    const accepted = acceptor.step(wire(answer));
    expect(accepted).toEqual({ kind: 'up', peer: 'pc-a', frame: { type: 'ready' } });
    expect(dialer.step(wire(frameOf(accepted)))).toEqual({ kind: 'up', peer: 'pc-b', frame: null });
    expect(JSON.stringify([hello, challenge, answer])).not.toContain(SECRET);
  });

  const helloRefusals: Array<[string, PeerIdentity, string, (hello: Record<string, unknown>) => unknown, string, RegExp]> = [
    ['a frame that is no hello', identity('pc-a'), 'pc-b', () => ({ type: 'answer', proof: '0'.repeat(64) }), 'badHandshake', /not a valid peer hello/],
    ['a name that is not a node name', identity('pc-a'), 'pc-b', (hello) => ({ ...hello, from: 'pc-a\nforged log line' }), 'badHandshake', /not a valid peer hello/],
    ['another protocol version', identity('pc-a'), 'pc-b', (hello) => ({ ...hello, protocol: 'tandem-peer/2' }), 'wrongProtocol', /speaks "tandem-peer\/2"/],
    ['another cluster', identity('pc-a', { cluster: 'line-2' }), 'pc-b', (hello) => hello, 'wrongCluster', /it is in cluster line-2, this node in cluster line-1/],
    ['a hello meant for another node', identity('pc-a'), 'pc-c', (hello) => hello, 'wrongNode', /it asked for node pc-c, but this is pc-b/],
    ['a node that is not a peer', identity('pc-0'), 'pc-b', (hello) => hello, 'notAPeer', /pc-0 is not a peer of pc-b in cluster line-1 \(peers: pc-a, pc-c\)/],
    ['a node that should accept, not dial', identity('pc-c'), 'pc-b', (hello) => hello, 'wrongDirection', /pc-b is the one that dials pc-c/],
  ];

  it.each(helloRefusals)('the acceptor refuses %s', (_, dialerIdentity, target, change, refusal, cause) => {
    const hello = change(wire(new DialerHandshake(dialerIdentity, target).start()) as Record<string, unknown>);
    const step = new AcceptorHandshake(identity('pc-b')).step(hello);
    expect(step).toMatchObject({ kind: 'refuse', refusal });
    expect(step.kind === 'refuse' && step.cause).toMatch(cause);
  });

  it('the dialer refuses an acceptor that does not know the secret, before proving anything itself', () => {
    const dialer = new DialerHandshake(identity('pc-a'), 'pc-b');
    const challenge = frameOf(new AcceptorHandshake(identity('pc-b', { secret: 'another secret of 16+ chars' })).step(wire(dialer.start())));
    expect(dialer.step(wire(challenge))).toMatchObject({ kind: 'refuse', refusal: 'authFailed', cause: expect.stringMatching(/pc-b could not prove/) });
  });

  it('the acceptor refuses a dialer that answers without knowing the secret', () => {
    const dialer = new DialerHandshake(identity('pc-a', { secret: 'another secret of 16+ chars' }), 'pc-b');
    const acceptor = new AcceptorHandshake(identity('pc-b'));
    const challenge = frameOf(acceptor.step(wire(dialer.start())));
    // A dialer with the wrong secret refuses the challenge; an impostor answers anyway.
    expect(dialer.step(wire(challenge)).kind).toBe('refuse');
    const forged = { type: 'answer', proof: 'ab'.repeat(32) };
    expect(acceptor.step(forged)).toMatchObject({ kind: 'refuse', refusal: 'authFailed', cause: expect.stringMatching(/pc-a could not prove/) });
  });

  it('an answer recorded on one connection is worthless on another', () => {
    const recordedDialer = new DialerHandshake(identity('pc-a'), 'pc-b');
    const recorded = frameOf(recordedDialer.step(wire(frameOf(new AcceptorHandshake(identity('pc-b')).step(wire(recordedDialer.start()))))));
    const acceptor = new AcceptorHandshake(identity('pc-b'));
    acceptor.step(wire(recordedDialer.start()));
    expect(acceptor.step(wire(recorded))).toMatchObject({ kind: 'refuse', refusal: 'authFailed' });
  });

  it("the acceptor's proof cannot be reflected back as the dialer's answer", () => {
    const dialer = new DialerHandshake(identity('pc-a'), 'pc-b');
    const acceptor = new AcceptorHandshake(identity('pc-b'));
    const challenge = frameOf(acceptor.step(wire(dialer.start())));
    if (challenge.type !== 'challenge') throw new Error('expected a challenge');
    expect(acceptor.step({ type: 'answer', proof: challenge.proof })).toMatchObject({ kind: 'refuse', refusal: 'authFailed' });
  });

  it('the dialer refuses a peer that skips the challenge or the confirmation', () => {
    const skipper = new DialerHandshake(identity('pc-a'), 'pc-b');
    skipper.start();
    expect(skipper.step({ type: 'ready' })).toMatchObject({ kind: 'refuse', refusal: 'badHandshake' });

    const dialer = new DialerHandshake(identity('pc-a'), 'pc-b');
    dialer.step(wire(frameOf(new AcceptorHandshake(identity('pc-b')).step(wire(dialer.start())))));
    expect(dialer.step({ type: 'envelope' })).toMatchObject({ kind: 'refuse', refusal: 'badHandshake' });
  });
});
