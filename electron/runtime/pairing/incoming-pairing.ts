import { checkCluster } from '../../../shared/cluster/cluster-schema.js';
import { parseProject } from '../../../shared/project/load-project.js';
import { SealedPairing, type IncomingPairing, type PeerConfirmReply, type PeerPairRequest, type SealedPairing as SealedPairingType } from '../../../shared/protocol/pairing.js';
import { maskKey, newKeys, open, proofMatches, proofOf, sessionKeys, unmaskKey, type PairingKeys, type SessionKeys, type Transcript } from './pairing-crypto.js';

/** A check of the Standby's side failed; the message says what to do. */
export function wrongCodeText(typed: string, server: string): string {
  return `The code ${typed} does not match the one shown on ${server}. For safety this request is now void: on ${server}, start the pairing again and type the new code here.`;
}

export class IncomingError extends Error {
  constructor(
    readonly kind: 'wrongCode' | 'badServer' | 'badDocument',
    message: string,
  ) {
    super(message);
  }
}

/**
 * A request from another node to make this one the Standby of a project: the Standby's side of the
 * protocol (DESIGN.md). The code typed here unmasks the Server's key and masks ours; only the
 * Server can tell whether it was right, and it allows one try.
 */
export class IncomingAttempt {
  readonly keys: PairingKeys = newKeys();
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

  /** Our masked key and the proof that we hold the keys the typed code leads to. */
  proveCode(typed: string): { maskedKey: string; proof: string } {
    const { request } = this;
    const maskedKey = maskKey(this.keys.publicKey, typed, request.id, 'standby');
    const t: Transcript = { id: request.id, server: request.from.node, standby: this.self, project: request.project.id, serverMasked: request.maskedKey, standbyMasked: maskedKey };
    const keys = sessionKeys(this.keys.privateKey, unmaskKey(request.maskedKey, typed, request.id, 'server'), t, typed);
    if (keys === null) throw new IncomingError('wrongCode', wrongCodeText(typed, request.from.node));
    this.transcript = t;
    this.sessionKeys = keys;
    return { maskedKey, proof: proofOf(keys, 'standby', t) };
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

/**
 * Binds the pairing to the TLS connections it ran over. The Server wrote into the sealed document
 * the certificate this node showed it and its own; the Standby compares both with what it knows:
 * its own certificate, and the one the Server showed on the connection that brought the document.
 * A difference means a device between the two PCs answered TLS for one of them; pinning its
 * certificate would let it read the peer link, so the pairing stops here. (Plain http:// addresses
 * pin nothing.)
 */
export function checkPinnedCertificates(
  cluster: SealedPairingType['cluster'],
  self: { node: string; fingerprint: string },
  server: { node: string; fingerprint: string | null },
): void {
  for (const { node, fingerprint } of [self, server]) {
    if (!cluster.nodes[node]?.startsWith('https:')) continue;
    if (cluster.fingerprints?.[node] === fingerprint) continue;
    throw new IncomingError(
      'badServer',
      `the certificate ${server.node} saw for ${node} is not the one ${node} has: something between the two PCs intercepts their TLS connections (a proxy or an attacker). Nothing was changed; connect the PCs directly or ask your network administrator, then start again.`,
    );
  }
}
