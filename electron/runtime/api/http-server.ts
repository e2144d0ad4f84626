import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { ErrorResponse } from '../../../shared/protocol/api.js';
import { log, logError } from '../log.js';
import { HttpError, badRequest } from './http-error.js';
import { DEMO_ROUTES } from './demo-routes.js';
import { AUTH_ROUTES } from './auth-routes.js';
import { bearerToken, unauthorized, type Caller } from '../auth/auth-service.js';
import { PAIRING_ROUTES } from './pairing-routes.js';
import { Answer, ROUTES, type ApiContext, type Route } from './routes.js';
import { contentSecurityPolicy, serveStatic } from './static-files.js';

/**
 * The HTTP side of the client protocol: the JSON API under /api/ and the operator UI elsewhere,
 * the same over HTTPS and plain HTTP (tls/node-listener.ts decides who may use which).
 * `peerUrls` is asked per request: pairing changes the nodes a station may follow while the node runs.
 */
export function createRequestHandler(ctx: ApiContext, uiDir: string, peerUrls: () => readonly string[] = () => []): RequestListener {
  const routes = [...ROUTES, ...AUTH_ROUTES, ...PAIRING_ROUTES, ...(ctx.demo ? DEMO_ROUTES : [])];
  return (req, res) => {
    const urls = peerUrls();
    const csp = contentSecurityPolicy(urls);
    if (allowCrossOrigin(req, res, new Set(urls.flatMap(pageOrigins)))) return;
    handle(ctx, routes, uiDir, csp, req, res).catch((error: unknown) => sendError(res, error));
  };
}

/**
 * The origins a page of the node at `url` can have: its address with either scheme (the port speaks
 * both), and its port on loopback, where the desktop window and a browser on that PC load it over
 * plain HTTP. Such a page reaches this node over HTTPS. Allowing an origin grants nothing by itself:
 * the API's credentials are bearer tokens the page must hold, never cookies.
 */
function pageOrigins(url: string): string[] {
  const { host, port } = new URL(url);
  const loopback = port === '' ? [] : ['127.0.0.1', 'localhost', '[::1]'].map((name) => `http://${name}:${port}`);
  return [`http://${host}`, `https://${host}`, ...loopback];
}

/**
 * A station loaded from another node of the project calls this node's API once this node serves:
 * those origins (and only those) may, with a preflight for JSON POSTs. Returns true when answered.
 */
function allowCrossOrigin(req: IncomingMessage, res: ServerResponse, peerOrigins: ReadonlySet<string>): boolean {
  const origin = req.headers.origin;
  if (!origin || !peerOrigins.has(origin)) return false;
  res.setHeader('access-control-allow-origin', origin);
  res.setHeader('vary', 'origin');
  if (req.method !== 'OPTIONS') return false;
  res.writeHead(204, { 'access-control-allow-methods': 'GET, POST', 'access-control-allow-headers': 'content-type, authorization', 'access-control-max-age': '600' });
  res.end();
  return true;
}

async function handle(ctx: ApiContext, routes: readonly Route[], uiDir: string, csp: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  if (!url.pathname.startsWith('/api/')) {
    if (req.method !== 'GET' && req.method !== 'HEAD') throw new HttpError(405, 'methodNotAllowed', `${req.method} is not allowed here`);
    serveStatic(uiDir, url.pathname, res, csp);
    return;
  }
  let pathMatched = false;
  for (const route of routes) {
    const match = route.pattern.exec(url.pathname);
    if (!match) continue;
    pathMatched = true;
    if (route.method !== req.method) continue;
    const params = match.slice(1).map(decodePathPart);
    const caller = authorize(ctx, route, req, url);
    const result = await route.handler(ctx, req, url, params, caller);
    if (result instanceof Answer) {
      res.once('close', result.afterSent);
      sendJson(res, result.status, result.body);
    } else {
      sendJson(res, 200, result);
    }
    return;
  }
  if (pathMatched) throw new HttpError(405, 'methodNotAllowed', `${req.method} is not allowed on ${url.pathname}`);
  throw new HttpError(404, 'notFound', `there is no API endpoint ${url.pathname}`);
}

/**
 * Every route's permission, checked here before its handler runs: 401 without a valid token (where
 * one is needed), 403 for a role too low or another project's token. Refusals are logged.
 */
function authorize(ctx: ApiContext, route: Route, req: IncomingMessage, url: URL): Caller | null {
  // The login itself, and node-to-node pairing calls that carry their own proof.
  if (route.permission === 'anyone' || route.permission === 'peer') return null;
  try {
    const caller = ctx.auth.caller(bearerToken(req));
    if (route.permission !== 'signedIn') ctx.auth.authorize(caller, route.permission, projectOf(url));
    else if (!caller) throw unauthorized('this needs a login: sign in (POST /api/login) and send "Authorization: Bearer <token>"');
    return caller;
  } catch (error) {
    if (error instanceof HttpError) log('warn', `refused ${req.method} ${url.pathname} from ${req.socket.remoteAddress ?? 'unknown'}: ${error.status} ${error.message}`);
    throw error;
  }
}

function projectOf(url: URL): string | null {
  const match = /^\/api\/projects\/([^/]+)/.exec(url.pathname);
  return match ? decodePathPart(match[1]!) : null;
}

function decodePathPart(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    throw badRequest(`the path part "${part}" is not valid URL encoding`);
  }
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const json = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(json);
}

function sendError(res: ServerResponse, error: unknown): void {
  const known = error instanceof HttpError;
  const status = known ? error.status : 500;
  const body: ErrorResponse = known
    ? { error: { code: error.code, message: error.message, ...(error.server !== undefined ? { server: error.server } : {}) } }
    : { error: { code: 'internal', message: `internal error, see the runtime log (id ${logError('API request failed', error)})` } };
  if (res.headersSent) {
    res.destroy();
    return;
  }
  if (known) for (const [name, value] of Object.entries(error.headers)) res.setHeader(name, value);
  // Unread request bytes (a refused oversized body) must not be read into memory; close instead.
  sendJson(res.setHeader('connection', 'close'), status, body);
}
