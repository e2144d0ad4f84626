import type { ClusterFile } from '../../../shared/cluster/cluster-schema.js';
import type { OutgoingPairing, OutgoingState, PeerAbortReason, PeerConfirmReply } from '../../../shared/protocol/pairing.js';
import { commitmentOf, newKeys, newNonce, newPairingId, pairingCode, proofMatches, proofOf, seal, sessionKeys, type PairingKeys, type SessionKeys, type Transcript } from './pairing-crypto.js';

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
 * protocol (DESIGN.md). It holds the private key, the committed nonce and, once the Standby has
 * proven the code, the cluster document to hand over; each step may happen once.
 */
export class OutgoingAttempt {
  readonly id = newPairingId();
  readonly keys: PairingKeys = newKeys();
  readonly nonce = newNonce();
  readonly commitment = commitmentOf(this.keys.publicKey, this.nonce);
  state: OutgoingState = 'waitingForCode';
  message: string | null = null;
  peer: { node: string; url: string };
  private transcript: Transcript | null = null;
  private code: string | null = null;
  private handedOver: { keys: SessionKeys; document: ClusterFile } | null = null;

  constructor(
    readonly project: { id: string; name: string },
    peerUrl: string,
    readonly self: string,
    readonly expiresAt: number,
    readonly replace: boolean,
  ) {
    this.peer = { node: '', url: peerUrl };
  }

  /** The Standby answered the request: both keys and nonces are known, so is the code. */
  answered(standby: string, standbyKey: string, standbyNonce: string): void {
    this.peer = { ...this.peer, node: standby };
    this.transcript = { id: this.id, server: this.self, standby, project: this.project.id, serverKey: this.keys.publicKey, standbyKey, serverNonce: this.nonce, standbyNonce };
    this.code = pairingCode(this.transcript);
  }

  /** Ends a waiting attempt as expired once its time is up; true while it still waits. */
  waiting(nowMs: number): boolean {
    if (this.state === 'waitingForCode' && nowMs >= this.expiresAt) this.end('expired', ABORT_TEXT.expired(this.peer.node));
    return this.state === 'waitingForCode';
  }

  /**
   * The Standby proves it derived the same keys with the right code. One proof per attempt: a
   * wrong one voids it. Returns our proof and the sealed document, or null when the proof is wrong.
   */
  confirm(proof: string, makeDocument: () => { document: ClusterFile; sealedText: string }): PeerConfirmReply | null {
    const t = this.transcript!;
    const keys = sessionKeys(this.keys.privateKey, t.standbyKey, t, this.code!);
    if (this.handedOver !== null || !proofMatches(keys, 'standby', t, proof)) {
      this.end('failed', `${this.peer.node} could not prove it holds the code shown here. This attempt is void: start again for a new code.`);
      return null;
    }
    const { document, sealedText } = makeDocument();
    this.handedOver = { keys, document };
    return { proof: proofOf(keys, 'server', t), sealed: seal(keys, t, sealedText) };
  }

  /** The Standby says it holds the document and checked it: the document to apply, or null when its proof is wrong. */
  committed(proof: string): ClusterFile | null {
    const handedOver = this.handedOver;
    if (handedOver === null || !proofMatches(handedOver.keys, 'applied', this.transcript!, proof)) return null;
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
      peer: this.peer,
      code: this.state === 'waitingForCode' ? this.code : null,
      expiresAt: this.expiresAt,
      state: this.state,
      message: this.message,
      replace: this.replace,
    };
  }
}
