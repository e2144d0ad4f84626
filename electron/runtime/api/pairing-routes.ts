import type { IncomingMessage } from 'node:http';
import {
  AcceptPairingBody,
  CancelPairingBody,
  PeerAbort,
  PeerCommit,
  PeerConfirm,
  PeerPairRequest,
  PeerUnpair,
  StartPairingBody,
  UnpairBody,
} from '../../../shared/protocol/pairing.js';
import type { PairingService } from '../pairing/pairing-service.js';
import { onPeerUnpair } from '../pairing/unpairing.js';
import { HttpError } from './http-error.js';
import { readBody } from './request-body.js';
import type { ApiContext, Route } from './routes.js';

const ID = '([0-9a-f]{32})';
const OK = { ok: true } as const;

type PairingHandler = (pairing: PairingService, req: IncomingMessage, params: string[]) => Promise<unknown> | unknown;

/**
 * A route whose handler needs the node's pairing service. A POST must say it is JSON: a browser then
 * asks first (CORS preflight), which only the pair's own pages pass, so a web page from elsewhere
 * cannot start or accept a pairing with a plain form post.
 */
function route(method: Route['method'], permission: Route['permission'], pattern: RegExp, handler: PairingHandler): Route {
  return {
    method,
    permission,
    pattern,
    handler: (ctx, req, _url, params) => {
      const type = req.headers['content-type'] ?? '';
      if (method === 'POST' && !/^application\/json\b/i.test(type)) {
        throw new HttpError(415, 'unsupportedMediaType', `send pairing calls as JSON (content-type application/json), not "${type || 'no content-type'}"`);
      }
      return handler(pairingOf(ctx), req, params);
    },
  };
}

/**
 * Pairing (docs/api.md#pairing): the operator's calls on their own node need `engineer`; the
 * node-to-node calls under /peer/ carry their own proof (the pairing keys or the cluster secret)
 * and are open to the other node, which has no user login (`peer`).
 */
export const PAIRING_ROUTES: Route[] = [
  route('GET', 'engineer', /^\/api\/pairing$/, (pairing) => pairing.status()),
  route('GET', 'engineer', /^\/api\/pairing\/discovery$/, (pairing) => pairing.discover()),
  route('POST', 'engineer', /^\/api\/pairing\/start$/, async (pairing, req) => {
    const body = await readBody(req, StartPairingBody);
    return pairing.server.start(body.project, body.address, false);
  }),
  route('POST', 'engineer', /^\/api\/pairing\/replace-standby$/, async (pairing, req) => {
    const body = await readBody(req, StartPairingBody);
    return pairing.server.start(body.project, body.address, true);
  }),
  route('POST', 'engineer', new RegExp(`^/api/pairing/incoming/${ID}/accept$`), async (pairing, req, [id]) => {
    const body = await readBody(req, AcceptPairingBody);
    return pairing.standby.accept(id!, body.code);
  }),
  route('POST', 'engineer', /^\/api\/pairing\/cancel$/, async (pairing, req) => {
    await pairing.cancel((await readBody(req, CancelPairingBody)).id);
    return OK;
  }),
  route('POST', 'engineer', /^\/api\/pairing\/unpair$/, async (pairing, req) => {
    await readBody(req, UnpairBody);
    return pairing.unpair();
  }),
  route('POST', 'peer', /^\/api\/pairing\/peer\/hello$/, () => OK),
  route('POST', 'peer', /^\/api\/pairing\/peer\/request$/, async (pairing, req) => pairing.standby.onRequest(await readBody(req, PeerPairRequest))),
  route('POST', 'peer', /^\/api\/pairing\/peer\/confirm$/, async (pairing, req) => {
    const body = await readBody(req, PeerConfirm);
    return pairing.server.onConfirm(body.id, body.maskedKey, body.proof);
  }),
  route('POST', 'peer', /^\/api\/pairing\/peer\/commit$/, async (pairing, req) => {
    const body = await readBody(req, PeerCommit);
    pairing.server.onCommit(body.id, body.proof);
    return OK;
  }),
  route('POST', 'peer', /^\/api\/pairing\/peer\/abort$/, async (pairing, req) => {
    const body = await readBody(req, PeerAbort);
    pairing.server.onAbort(body.id, body.reason, body.message);
    pairing.standby.onAbort(body.id, body.reason);
    return OK;
  }),
  route('POST', 'peer', /^\/api\/pairing\/peer\/unpair$/, async (pairing, req) => {
    onPeerUnpair(pairing.node, await readBody(req, PeerUnpair));
    return OK;
  }),
];

function pairingOf(ctx: ApiContext): PairingService {
  if (!ctx.pairing) throw new HttpError(404, 'notFound', `pairing is not available on node ${ctx.node}`);
  return ctx.pairing;
}
