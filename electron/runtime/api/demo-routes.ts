import type { IncomingMessage } from 'node:http';
import { PowerCutBody, type PowerCutResponse } from '../../../shared/protocol/api.js';
import { HttpError } from './http-error.js';
import { readBody } from './request-body.js';
import { Answer, type ApiContext, type Route } from './routes.js';

/**
 * Routes a node offers only when started by `tandem demo` (`tandem serve --demo-power-cut`); on
 * every other node they do not exist and answer 404 like any unknown path.
 */
export const DEMO_ROUTES: Route[] = [{ method: 'POST', permission: 'engineer', pattern: /^\/api\/demo\/power-cut$/, handler: powerCut }];

async function powerCut(ctx: ApiContext, req: IncomingMessage): Promise<Answer> {
  const client = req.socket.remoteAddress ?? 'an unknown address';
  if (!isLoopback(client)) {
    throw new HttpError(403, 'forbidden', `the demo power cut is only for clients on this PC (127.0.0.1 or ::1); this request came from ${client}`);
  }
  // A JSON body makes a browser ask first (CORS preflight), which only the pair's own pages pass:
  // a web page from elsewhere cannot end the node with a plain form post.
  const type = req.headers['content-type'] ?? '';
  if (!/^application\/json\b/i.test(type)) {
    throw new HttpError(415, 'unsupportedMediaType', `send the power cut as JSON: content-type application/json and the body {}, not "${type || 'no content-type'}"`);
  }
  await readBody(req, PowerCutBody);
  const answer: PowerCutResponse = { node: ctx.node };
  return new Answer(202, answer, () => ctx.demo?.powerCut(client));
}

function isLoopback(address: string): boolean {
  return address === '::1' || /^(::ffff:)?127\.\d+\.\d+\.\d+$/.test(address);
}
