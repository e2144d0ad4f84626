import { checkCluster } from '../../../shared/cluster/cluster-schema.js';
import { parseProject } from '../../../shared/project/load-project.js';
import { SealedPairing, type IncomingPairing, type PeerConfirmReply, type PeerPairReply, type PeerPairRequest, type SealedPairing as SealedPairingType } from '../../../shared/protocol/pairing.js';
import { codesMatch, commitmentMatches, newKeys, newNonce, open, pairingCode, proofMatches, proofOf, sessionKeys, type PairingKeys, type SessionKeys, type Transcript } from './pairing-crypto.js';

/** A check of the Standby's side failed; the message says what to do. */
export class IncomingError extends Error {
  constructor(
    readonly kind: 'wrongCode' | 'badServer' | 'badDocument' | 'badReveal',
    message: string,
  ) {
    super(message);
  }
}

/**
 * A request from another node to make this one the Standby of a project: the Standby's side of the
 * protocol (DESIGN.md). It is listed once the Server has revealed its committed nonce; the code
 * typed here is compared with the one computed from the transcript, once.
 */
export class IncomingAttempt {
  readonly keys: PairingKeys = newKeys();
  readonly nonce = newNonce();
  private transcript: Transcript | null = null;
  private sessionKeys: SessionKeys | null = null;

  constructor(
    readonly request: PeerPairRequest,
    readonly self: string,
    readonly expiresAt: number,
  ) {}

  get id(): string {
    return this.request.id;
  }

  get revealed(): boolean {
    return this.transcript !== null;
  }

  reply(): PeerPairReply {
    return { node: this.self, publicKey: this.keys.publicKey, nonce: this.nonce };
  }

  /** The Server reveals the nonce it committed to in its request; a mismatch ends the attempt. */
  reveal(serverNonce: string): void {
    const { request } = this;
    if (!commitmentMatches(request.commitment, request.publicKey, serverNonce)) {
      throw new IncomingError('badReveal', `${request.from.node} revealed a nonce that does not match its commitment`);
    }
    this.transcript = {
      id: request.id,
      server: request.from.node,
      standby: this.self,
      project: request.project.id,
      serverKey: request.publicKey,
      standbyKey: this.keys.publicKey,
      serverNonce,
      standbyNonce: this.nonce,
    };
  }

  /** Checks the typed code (the one try this attempt has) and returns the proof to send the Server. */
  proveCode(typed: string): string {
    const t = this.transcript!;
    const code = pairingCode(t);
    if (!codesMatch(typed, code)) {
      throw new IncomingError('wrongCode', `The code ${typed} does not match the one shown on ${t.server}. For safety this request is now void: on ${t.server}, start the pairing again and type the new code here.`);
    }
    this.sessionKeys = sessionKeys(this.keys.privateKey, t.serverKey, t, code);
    return proofOf(this.sessionKeys, 'standby', t);
  }

  /** Checks the Server's proof, opens and checks the document; returns it with the proof that we hold it. */
  openDocument(reply: PeerConfirmReply): { pairing: SealedPairingType; appliedProof: string } {
    const t = this.transcript!;
    const keys = this.sessionKeys!;
    if (!proofMatches(keys, 'server', t, reply.proof)) {
      throw new IncomingError('badServer', `${t.server} could not prove it holds the same keys; this request is void. Start again on ${t.server}.`);
    }
    let text: string;
    try {
      text = open(keys, t, reply.sealed);
    } catch {
      throw new IncomingError('badServer', `the cluster document from ${t.server} did not decrypt; this request is void. Start again on ${t.server}.`);
    }
    const pairing = this.checkDocument(text);
    return { pairing, appliedProof: proofOf(keys, 'applied', t) };
  }

  view(): IncomingPairing {
    return { id: this.id, from: this.request.from, project: this.request.project, expiresAt: this.expiresAt };
  }

  private checkDocument(text: string): SealedPairingType {
    const t = this.transcript!;
    const bad = (why: string) => new IncomingError('badDocument', `the cluster document from ${t.server} ${why}; nothing was changed. Run the same Tandem version on both PCs and start again.`);
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw bad('is not JSON');
    }
    const parsed = SealedPairing.safeParse(json);
    if (!parsed.success) throw bad('does not match the cluster schema');
    const { cluster, projectFile } = parsed.data;
    const problems = checkCluster(cluster);
    if (problems.length > 0) throw bad(`is inconsistent (${problems.join('; ')})`);
    const entry = cluster.projects.find((project) => project.id === t.project);
    if (!entry || entry.server !== t.server || entry.standby !== this.self) throw bad(`does not make ${this.self} the Standby of ${t.project} with ${t.server} as its Server`);
    if (projectFile !== null) {
      let project: unknown;
      try {
        project = JSON.parse(projectFile);
      } catch {
        throw bad('carries a project file that is not JSON');
      }
      const result = parseProject(project);
      if (!result.ok) throw bad(`carries an invalid project file (${result.errors.join('; ')})`);
      if (result.project.id !== t.project) throw bad(`carries project "${result.project.id}" instead of "${t.project}"`);
    } else if (entry.file !== 'demo') {
      throw bad('names a project file it does not carry');
    }
    return parsed.data;
  }
}
