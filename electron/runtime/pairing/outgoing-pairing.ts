import type { ClusterFile } from '../../../shared/cluster/cluster-schema.js';
import type { OutgoingPairing, OutgoingState, PeerAbortReason, PeerConfirmReply } from '../../../shared/protocol/pairing.js';
import { maskKey, newCode, newKeys, newPairingId, proofMatches, proofOf, seal, sessionKeys, unmaskKey, type PairingKeys, type SessionKeys, type Transcript } from './pairing-crypto.js';

/** Why an attempt ended, as the Server's screen says it. */
const ABORT_TEXT: Record<PeerAbortReason, (standby: string) => string> = {
  wrongCode: (standby) => `The code typed on ${standby} was wrong. For safety this attempt is void: start again for a new code.`,
  expired: (standby) => `The code expired before it was typed on ${standby}. Start again for a new code.`,
  declined: (standby) => `${standby} declined the pairing request.`,
  cancelled: () => 'The pairing was cancelled.',
  failed: (standby) => `${standby} could not complete the pairing.`,
};

/**
 * One attempt of this node to make another the Standby of a project: the Server's side of the
 * protocol (DESIGN.md). It holds the code, the private key, and, once the Standby has proven the
 * code, the cluster document to hand over; each step may happen once.
 */
export class OutgoingAttempt {
  readonly id = newPairingId();
  readonly code = newCode();
  readonly keys: PairingKeys = newKeys();
  readonly maskedKey = maskKey(this.keys.publicKey, this.code, this.id, 'server');
  state: OutgoingState = 'waitingForCode';
  message: string | null = null;
  /** This node's URL as the Standby reaches it (known once the Standby answered). */
  selfUrl = '';
  /** The Standby; `fingerprint` of the certificate it showed when asked (over https). */
  peer: { node: string; url: string; fingerprint: string | null };
  private handedOver: { keys: SessionKeys; transcript: Transcript; document: ClusterFile } | null = null;

  constructor(
    readonly project: { id: string; name: string },
    peerUrl: string,
    readonly self: string,
    readonly expiresAt: number,
    readonly replace: boolean,
  ) {
    this.peer = { node: '', url: peerUrl, fingerprint: null };
  }

  /**
   * The other node took the request: it is called `standby`, showed the certificate with
   * `fingerprint`, and reaches this node at `selfUrl`.
   */
  answered(standby: string, fingerprint: string | null, selfUrl: string): void {
    this.peer = { ...this.peer, node: standby, fingerprint };
    this.selfUrl = selfUrl;
  }

  /** Ends a waiting attempt as expired once its time is up; true while it still waits. */
  waiting(nowMs: number): boolean {
    if (this.state === 'waitingForCode' && nowMs >= this.expiresAt) this.end('expired', ABORT_TEXT.expired(this.peer.node));
    return this.state === 'waitingForCode';
  }

  /**
   * The Standby proves it unmasked our key with the code and masked its own with it. One proof per
   * attempt: a wrong one (a wrong code) voids it. Returns our proof and the sealed document, or null.
   */
  confirm(standbyMasked: string, proof: string, makeDocument: () => { document: ClusterFile; sealedText: string }): PeerConfirmReply | null {
    const t: Transcript = { id: this.id, server: this.self, standby: this.peer.node, project: this.project.id, serverMasked: this.maskedKey, standbyMasked };
    const keys = sessionKeys(this.keys.privateKey, unmaskKey(standbyMasked, this.code, this.id, 'standby'), t, this.code);
    if (this.handedOver !== null || keys === null || !proofMatches(keys, 'standby', t, proof)) {
      this.end('failed', ABORT_TEXT.wrongCode(this.peer.node));
      return null;
    }
    const { document, sealedText } = makeDocument();
    this.handedOver = { keys, transcript: t, document };
    return { proof: proofOf(keys, 'server', t), sealed: seal(keys, t, sealedText) };
  }

  /** The Standby says it holds the document and checked it: the document to apply, or null when its proof is wrong. */
  committed(proof: string): ClusterFile | null {
    const handedOver = this.handedOver;
    if (handedOver === null || !proofMatches(handedOver.keys, 'applied', handedOver.transcript, proof)) return null;
    return handedOver.document;
  }

  aborted(reason: PeerAbortReason, message: string): void {
    this.end(reason === 'cancelled' ? 'cancelled' : reason === 'expired' ? 'expired' : 'failed', `${ABORT_TEXT[reason](this.peer.node)}${message ? ` (${message})` : ''}`);
  }

  end(state: OutgoingState, message: string): void {
    this.state = state;
    this.message = message;
  }

  view(): OutgoingPairing {
    return {
      id: this.id,
      project: this.project.id,
      peer: { node: this.peer.node, url: this.peer.url },
      code: this.state === 'waitingForCode' ? this.code : null,
      expiresAt: this.expiresAt,
      state: this.state,
      message: this.message,
      replace: this.replace,
    };
  }
}
