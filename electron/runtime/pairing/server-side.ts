import { PAIRING_PROTOCOL, PeerPairReply, OkResponse, type OutgoingPairing, type PeerConfirmReply, type PeerPairRequest } from '../../../shared/protocol/pairing.js';
import { HttpError, badRequest } from '../api/http-error.js';
import { DEFAULT_PORT } from '../cli/serve-args.js';
import { log } from '../log.js';
import { AttemptLimiter } from './attempt-limiter.js';
import { NodeCallError, postToNode } from './node-http.js';
import { OutgoingAttempt } from './outgoing-pairing.js';
import { newClusterDocument, projectFileText } from './pairing-files.js';
import type { PairingNode } from './pairing-node.js';
import { farewells } from './unpairing.js';

/** Pairings this node may start per minute. */
const STARTS_PER_MINUTE_MAX = 10;

/**
 * The Server's side of pairing: asks the chosen node, shows the code, answers the Standby's proof
 * with the sealed cluster document, and applies the document once the Standby holds it.
 */
export class ServerSide {
  private attempt: OutgoingAttempt | null = null;
  private readonly starts: AttemptLimiter;

  constructor(
    private readonly node: PairingNode,
    private readonly codeTtlMs: number,
  ) {
    this.starts = new AttemptLimiter(STARTS_PER_MINUTE_MAX, 60_000, node.clock);
  }

  view(): OutgoingPairing | null {
    this.attempt?.waiting(this.node.clock.now());
    return this.attempt?.view() ?? null;
  }

  /** Asks the node at `address` to become the Standby of `projectId`; with `replace`, in place of this pair's Standby. */
  async start(projectId: string, address: string, replace: boolean): Promise<OutgoingPairing> {
    const project = this.node.project(projectId);
    if (replace) {
      if (!this.node.pair()?.projects.some((p) => p.id === projectId)) throw new HttpError(409, 'notPaired', `project ${projectId} is not paired on ${this.node.name}; pair it instead of replacing its Standby`);
    } else {
      this.node.refuseIfPaired('to pair it with another PC, unpair it first, or use "Replace Standby"');
    }
    if (!this.starts.tryAttempt()) throw new HttpError(429, 'tooManyAttempts', `more than ${STARTS_PER_MINUTE_MAX} pairings started in the last minute; wait a minute and start again`);
    await this.cancel(this.attempt?.id ?? null);
    const attempt = new OutgoingAttempt({ id: project.project.id, name: project.project.name }, nodeUrlOf(address), this.node.name, this.node.clock.now() + this.codeTtlMs, replace);
    const request: PeerPairRequest = {
      protocol: PAIRING_PROTOCOL,
      id: attempt.id,
      from: { node: this.node.name, url: this.node.ownUrl(null) },
      project: attempt.project,
      maskedKey: attempt.maskedKey,
      expiresInMs: this.codeTtlMs,
    };
    try {
      // The first call tells us our own address as the other PC sees it; the request must carry it.
      const probe = await postToNode(attempt.peer.url, '/api/pairing/peer/hello', {}, OkResponse);
      request.from.url = this.node.ownUrl(probe.localAddress);
      const { body: reply, fingerprint } = await postToNode(attempt.peer.url, '/api/pairing/peer/request', request, PeerPairReply);
      if (reply.node === this.node.name) throw new HttpError(409, 'sameName', `both PCs are called ${reply.node}; start one of them with another --node name`);
      // The certificate it showed goes into the document; the Standby checks that it is its own.
      attempt.answered(reply.node, fingerprint, request.from.url);
    } catch (error) {
      throw asHttpError(error, attempt.peer.url);
    }
    this.attempt = attempt;
    log('info', `pairing: asked ${attempt.peer.node} (${attempt.peer.url}) to become the Standby of ${projectId}; waiting for the code`);
    return attempt.view();
  }

  /** The Standby proved the code: our proof and the sealed cluster document. */
  onConfirm(id: string, standbyMasked: string, proof: string): PeerConfirmReply {
    const attempt = this.waitingAttempt(id);
    const reply = attempt.confirm(standbyMasked, proof, () => {
      const project = this.node.project(attempt.project.id);
      const document = newClusterDocument({ node: this.node.name, url: attempt.selfUrl, fingerprint: this.node.options.fingerprint }, attempt.peer, project);
      const projectFile = projectFileText(project);
      return { document, sealedText: JSON.stringify({ cluster: document, projectFile }) };
    });
    if (reply === null) {
      log('warn', `pairing: the code typed on ${attempt.peer.node} was wrong; attempt ${id.slice(0, 8)} is void`);
      throw new HttpError(403, 'wrongCode', `the code does not match the one shown on ${this.node.name}`);
    }
    return reply;
  }

  /** The Standby holds the document: apply it here. The Standby applies it after we answer. */
  onCommit(id: string, proof: string): void {
    const attempt = this.waitingAttempt(id);
    const document = attempt.committed(proof);
    if (document === null) throw new HttpError(403, 'wrongProof', 'the commit proof does not match; this pairing attempt is void');
    const project = this.node.project(attempt.project.id);
    const sayGoodbye = attempt.replace ? farewells(this.node) : () => undefined;
    try {
      this.node.applyCluster(document, projectFileText(project), null, `paired with ${attempt.peer.node} as the Server of ${attempt.project.id}`);
    } catch (error) {
      attempt.end('failed', `This PC could not apply the pairing (${(error as Error).message}); nothing was changed.`);
      throw new HttpError(500, 'applyFailed', `${this.node.name} could not apply the pairing: ${(error as Error).message}`);
    }
    sayGoodbye();
    attempt.end('paired', `${attempt.peer.node} is now the Standby of ${attempt.project.id}; this PC is its Server.`);
  }

  onAbort(id: string, reason: Parameters<OutgoingAttempt['aborted']>[0], message: string): void {
    if (this.attempt?.id === id && this.attempt.waiting(this.node.clock.now())) this.attempt.aborted(reason, message);
  }

  /** Ends this node's attempt `id` (if it is ours) and tells the other node; true when it was ours. */
  async cancel(id: string | null): Promise<boolean> {
    const attempt = this.attempt;
    if (attempt === null || attempt.id !== id) return false;
    if (attempt.waiting(this.node.clock.now())) {
      attempt.end('cancelled', 'The pairing was cancelled on this PC.');
      await postToNode(attempt.peer.url, '/api/pairing/peer/abort', { id, reason: 'cancelled', message: `cancelled on ${this.node.name}` }, OkResponse).catch(() => undefined);
    }
    this.attempt = null;
    return true;
  }

  private waitingAttempt(id: string): OutgoingAttempt {
    const attempt = this.attempt;
    if (attempt === null || attempt.id !== id) throw new HttpError(404, 'notFound', `${this.node.name} has no pairing attempt ${id}; start again on ${this.node.name}`);
    if (!attempt.waiting(this.node.clock.now())) {
      const expired = attempt.state === 'expired';
      throw new HttpError(expired ? 410 : 409, expired ? 'expired' : 'ended', expired ? `the code has expired; on ${this.node.name}, start the pairing again for a new code` : `this pairing attempt has ended (${attempt.message ?? attempt.state}); start again on ${this.node.name}`);
    }
    return attempt;
  }
}

/** `host`, `host:port` or a URL -> the node's base URL; the port defaults to Tandem's. */
export function nodeUrlOf(address: string): string {
  // Without a scheme, TLS: every node speaks it, and plain HTTP only from its own PC.
  const text = /^https?:\/\//i.test(address) ? address : `https://${address}`;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw badRequest(`"${address}" is not an address; type the other PC's name or IP address, with ":port" if it is not ${DEFAULT_PORT}`);
  }
  if (url.port === '' && !/^https?:\/\/[^/]*:\d+/i.test(text)) url.port = String(DEFAULT_PORT);
  return `${url.protocol}//${url.host}/`;
}

function asHttpError(error: unknown, url: string): unknown {
  if (!(error instanceof NodeCallError)) return error;
  if (error.status === 0) return new HttpError(502, 'unreachable', `${error.message}. Nothing was changed.`);
  return new HttpError(error.status === 409 || error.status === 429 ? error.status : 502, error.code ?? 'peerRefused', `${new URL(url).host}: ${error.message}`);
}
