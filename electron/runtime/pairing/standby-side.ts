import { OkResponse, PairingCode, PeerConfirmReply, type AcceptPairingResponse, type IncomingPairing, type PeerAbortReason, type PeerPairReply, type PeerPairRequest } from '../../../shared/protocol/pairing.js';
import { HttpError, badRequest } from '../api/http-error.js';
import { log } from '../log.js';
import { AttemptLimiter } from './attempt-limiter.js';
import { IncomingAttempt, IncomingError, checkPinnedCertificates, wrongCodeText } from './incoming-pairing.js';
import { NodeCallError, postToNode } from './node-http.js';
import type { PairingNode } from './pairing-node.js';

/** Requests from other nodes this node takes per minute, and how many wait for a code at once. */
const REQUESTS_PER_MINUTE_MAX = 10;
const WAITING_MAX = 4;

/**
 * The Standby's side of pairing: takes requests from other nodes, lets the operator type the code
 * (one try per request), proves it to the Server, opens and checks the cluster document, has the
 * Server apply it first and then applies it here.
 */
export class StandbySide {
  private readonly attempts = new Map<string, IncomingAttempt>();
  private readonly requests: AttemptLimiter;

  constructor(
    private readonly node: PairingNode,
    private readonly codeTtlMs: number,
  ) {
    this.requests = new AttemptLimiter(REQUESTS_PER_MINUTE_MAX, 60_000, node.clock);
  }

  /** Requests waiting for their code, oldest first. */
  views(): IncomingPairing[] {
    this.dropExpired();
    return [...this.attempts.values()].map((attempt) => attempt.view());
  }

  onRequest(request: PeerPairRequest): PeerPairReply {
    this.node.refuseIfPaired(`unpair it there first, or pick another PC`);
    if (request.from.node === this.node.name) throw new HttpError(409, 'sameName', `both PCs are called ${request.from.node}; start one of them with another --node name`);
    if (!this.requests.tryAttempt()) throw new HttpError(429, 'tooManyAttempts', `${this.node.name} has had more than ${REQUESTS_PER_MINUTE_MAX} pairing requests in the last minute; wait a minute and try again`);
    this.dropExpired();
    if (this.attempts.size >= WAITING_MAX) this.attempts.delete(this.attempts.keys().next().value!);
    const expiresAt = this.node.clock.now() + Math.min(this.codeTtlMs, request.expiresInMs);
    const attempt = new IncomingAttempt(request, this.node.name, expiresAt);
    this.attempts.set(request.id, attempt);
    log('info', `pairing: ${request.from.node} (${request.from.url}) asks this node to become the Standby of ${request.project.id}`);
    return { node: this.node.name };
  }

  onAbort(id: string, reason: PeerAbortReason): void {
    if (this.attempts.delete(id)) log('info', `pairing: request ${id.slice(0, 8)} ended by the other node (${reason})`);
  }

  /** Declines a request here and tells its Server; true when it was one of ours. */
  async decline(id: string): Promise<boolean> {
    const attempt = this.attempts.get(id);
    if (!attempt) return false;
    this.attempts.delete(id);
    await this.abortAtServer(attempt, 'declined', `declined on ${this.node.name}`);
    return true;
  }

  /** The operator typed the code: prove it, receive the document, have the Server apply it, apply it here. */
  async accept(id: string, typedCode: string): Promise<AcceptPairingResponse> {
    if (!PairingCode.safeParse(typedCode).success) throw badRequest(`the code has six digits, got "${typedCode}"`);
    const attempt = this.attempt(id);
    const server = attempt.request.from;
    if (this.node.clock.now() >= attempt.expiresAt) {
      this.attempts.delete(id);
      await this.abortAtServer(attempt, 'expired', `the code was typed on ${this.node.name} after it expired`);
      throw this.expired(attempt);
    }
    this.node.refuseIfPaired('unpair it first');
    // From here on, this request has had its one try.
    this.attempts.delete(id);
    try {
      const { maskedKey, proof } = attempt.proveCode(typedCode);
      const { body: reply, fingerprint: serverShowed } = await postToNode(server.url, '/api/pairing/peer/confirm', { id, maskedKey, proof }, PeerConfirmReply);
      const { pairing, appliedProof } = attempt.openDocument(reply);
      checkPinnedCertificates(pairing.cluster, { node: this.node.name, fingerprint: this.node.options.fingerprint }, { node: server.node, fingerprint: serverShowed });
      await postToNode(server.url, '/api/pairing/peer/commit', { id, proof: appliedProof }, OkResponse);
      const project = attempt.request.project.id;
      try {
        this.node.applyCluster(pairing.cluster, pairing.projectFile, project, `paired with ${server.node} as the Standby of ${project}`);
      } catch (error) {
        // The Server runs the pair already; it serves without a Standby until this is sorted out.
        throw new HttpError(500, 'applyFailed', `${server.node} is paired, but this PC could not start its part (${(error as Error).message}); it runs as before. On ${server.node}, click Unpair, fix the cause and pair again.`);
      }
      return { cluster: pairing.cluster.cluster, project, server: server.node, standby: this.node.name };
    } catch (error) {
      if (error instanceof IncomingError) {
        await this.abortAtServer(attempt, error.kind === 'wrongCode' ? 'wrongCode' : 'failed', error.kind === 'wrongCode' ? '' : error.message);
        throw new HttpError(error.kind === 'wrongCode' ? 403 : 502, error.kind, error.message);
      }
      if (error instanceof NodeCallError && error.code === 'wrongCode') throw new HttpError(403, 'wrongCode', wrongCodeText(typedCode, server.node));
      // The two PCs' clocks start the code's time a moment apart: the Server may see it expired first.
      if (error instanceof NodeCallError && error.code === 'expired') throw this.expired(attempt);
      if (error instanceof NodeCallError) {
        const unreachable = error.status === 0;
        throw new HttpError(unreachable ? 502 : error.status === 410 ? 410 : 502, unreachable ? 'unreachable' : (error.code ?? 'peerRefused'), `${server.node}: ${error.message}. Nothing was changed here.`);
      }
      throw error;
    }
  }

  private expired(attempt: IncomingAttempt): HttpError {
    const validS = Math.round(Math.min(this.codeTtlMs, attempt.request.expiresInMs) / 1000);
    const server = attempt.request.from.node;
    return new HttpError(410, 'expired', `The code has expired (codes are valid for ${validS} s). On ${server}, start the pairing again and type the new code here. Nothing was changed.`);
  }

  private attempt(id: string): IncomingAttempt {
    this.dropExpired();
    const attempt = this.attempts.get(id);
    if (!attempt) throw new HttpError(404, 'notFound', `there is no pairing request ${id} on ${this.node.name} (it was cancelled, has expired or was used); start the pairing again on the other PC`);
    return attempt;
  }

  /** Expired requests stay listed until their code would be typed, so the operator is told; forgotten after twice their time. */
  private dropExpired(): void {
    const nowMs = this.node.clock.now();
    for (const [id, attempt] of this.attempts) if (nowMs >= attempt.expiresAt + this.codeTtlMs) this.attempts.delete(id);
  }

  private async abortAtServer(attempt: IncomingAttempt, reason: PeerAbortReason, message: string): Promise<void> {
    await postToNode(attempt.request.from.url, '/api/pairing/peer/abort', { id: attempt.id, reason, message }, OkResponse).catch(() => undefined);
  }
}
