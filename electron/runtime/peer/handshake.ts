import type { z } from 'zod';
import { ClusterFile, NodeName } from '../../../shared/cluster/cluster-schema.js';
import { Answer, Challenge, Hello, PEER_PROTOCOL, Ready, type HandshakeFrame, type RefusalKind } from './handshake-frames.js';
import { newNonce, proofMatches, proofOf, type AuthBinding } from './peer-auth.js';

/** What a node knows about itself to open links: never sent, except its name. */
export interface PeerIdentity {
  cluster: string;
  secret: string;
  self: string;
  /** The nodes this one shares a project with; no other node may link to it. */
  peers: ReadonlySet<string>;
}

/** What the connection does with a handshake frame it received. */
export type HandshakeStep =
  | { kind: 'reply'; frame: HandshakeFrame }
  | { kind: 'up'; peer: string; frame: HandshakeFrame | null }
  | { kind: 'refuse'; refusal: RefusalKind; cause: string };

/** Names in a hello go into log lines, so they must be names, not arbitrary text. */
const CheckedHello = Hello.extend({ cluster: ClusterFile.shape.cluster, from: NodeName, to: NodeName });

function parse<T>(schema: z.ZodType<T>, json: unknown): T | null {
  const parsed = schema.safeParse(json);
  return parsed.success ? parsed.data : null;
}

/** The accepting side: hello -> challenge, answer -> ready. */
export class AcceptorHandshake {
  private binding: AuthBinding | null = null;
  /** The node the dialer says it is, for log lines; null before its hello. */
  claimedPeer: string | null = null;

  constructor(private readonly identity: PeerIdentity) {}

  start(): HandshakeFrame | null {
    return null;
  }

  step(json: unknown): HandshakeStep {
    return this.binding === null ? this.onHello(json) : this.onAnswer(json, this.binding);
  }

  private onHello(json: unknown): HandshakeStep {
    const { cluster, self, peers, secret } = this.identity;
    const hello = parse(CheckedHello, json);
    if (hello === null) return { kind: 'refuse', refusal: 'badHandshake', cause: 'its first frame was not a valid peer hello' };
    this.claimedPeer = hello.from;
    if (hello.protocol !== PEER_PROTOCOL) {
      return { kind: 'refuse', refusal: 'wrongProtocol', cause: `it speaks ${JSON.stringify(hello.protocol)}, this node ${PEER_PROTOCOL}; run the same Tandem version on both` };
    }
    if (hello.cluster !== cluster) return { kind: 'refuse', refusal: 'wrongCluster', cause: `it is in cluster ${hello.cluster}, this node in cluster ${cluster}` };
    if (hello.to !== self) {
      return { kind: 'refuse', refusal: 'wrongNode', cause: `it asked for node ${hello.to}, but this is ${self}; check the node addresses in its cluster file` };
    }
    if (!peers.has(hello.from)) {
      return { kind: 'refuse', refusal: 'notAPeer', cause: `${hello.from} is not a peer of ${self} in cluster ${cluster} (peers: ${[...peers].sort().join(', ') || 'none'})` };
    }
    if (hello.from > self) {
      return { kind: 'refuse', refusal: 'wrongDirection', cause: `${self} is the one that dials ${hello.from} (its name sorts first); do both nodes use the same cluster file?` };
    }
    this.binding = { cluster, dialer: hello.from, acceptor: self, dialerNonce: hello.nonce, acceptorNonce: newNonce() };
    return { kind: 'reply', frame: { type: 'challenge', nonce: this.binding.acceptorNonce, proof: proofOf(secret, 'acceptor', this.binding) } };
  }

  private onAnswer(json: unknown, binding: AuthBinding): HandshakeStep {
    const answer = parse(Answer, json);
    if (answer === null) return { kind: 'refuse', refusal: 'badHandshake', cause: 'it sent something other than its answer to the challenge' };
    if (!proofMatches(this.identity.secret, 'dialer', binding, answer.proof)) {
      return { kind: 'refuse', refusal: 'authFailed', cause: `${binding.dialer} could not prove it knows the cluster secret (do the two cluster files have the same secret?)` };
    }
    return { kind: 'up', peer: binding.dialer, frame: { type: 'ready' } };
  }
}

/** The dialing side: hello, challenge -> answer, ready -> up. */
export class DialerHandshake {
  private readonly nonce = newNonce();
  private binding: AuthBinding | null = null;

  constructor(
    private readonly identity: PeerIdentity,
    readonly claimedPeer: string,
  ) {}

  start(): HandshakeFrame {
    return { type: 'hello', protocol: PEER_PROTOCOL, cluster: this.identity.cluster, from: this.identity.self, to: this.claimedPeer, nonce: this.nonce };
  }

  step(json: unknown): HandshakeStep {
    return this.binding === null ? this.onChallenge(json) : this.onReady(json);
  }

  private onChallenge(json: unknown): HandshakeStep {
    const challenge = parse(Challenge, json);
    if (challenge === null) return { kind: 'refuse', refusal: 'badHandshake', cause: 'it did not answer the hello with a valid challenge' };
    const { cluster, self, secret } = this.identity;
    const binding = { cluster, dialer: self, acceptor: this.claimedPeer, dialerNonce: this.nonce, acceptorNonce: challenge.nonce };
    if (!proofMatches(secret, 'acceptor', binding, challenge.proof)) {
      return { kind: 'refuse', refusal: 'authFailed', cause: `${this.claimedPeer} could not prove it knows the cluster secret (do the two cluster files have the same secret?)` };
    }
    this.binding = binding;
    return { kind: 'reply', frame: { type: 'answer', proof: proofOf(secret, 'dialer', binding) } };
  }

  private onReady(json: unknown): HandshakeStep {
    if (parse(Ready, json) === null) return { kind: 'refuse', refusal: 'badHandshake', cause: 'it did not confirm the link after the answer' };
    return { kind: 'up', peer: this.claimedPeer, frame: null };
  }
}

export type Handshake = AcceptorHandshake | DialerHandshake;
