import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import type { Position, Sample } from '../../../shared/protocol/entities.js';
import { celFactOf, type LoggedOp } from '../../../shared/protocol/ops.js';
import {
  ClientMessage,
  SNAPSHOT_CEL_MAX,
  WS_FRAME_BYTES_MAX,
  WS_HEARTBEAT_MS,
  WS_SEND_BUFFER_BYTES_MAX,
  WS_STATUS_MS,
  type ServerMessage,
} from '../../../shared/protocol/ws.js';
import type { ProjectHost } from '../host/project-host.js';
import { log } from '../log.js';
import { bearerToken, type Caller } from '../auth/auth-service.js';
import { HttpError } from './http-error.js';
import type { ApiContext } from './routes.js';

/** Live values are coalesced per tag and sent at most this often. */
const VALUES_FLUSH_MS = 200;
/** At most this many clients at once; more are refused so one node cannot be swamped. */
const CLIENTS_MAX = 200;

interface Subscription {
  project: ProjectHost;
  unsubscribe: () => void;
  pendingValues: Map<string, Sample>;
}

/**
 * The WebSocket side of the client protocol (`/ws`): a snapshot on subscribe (resuming the CEL
 * from the last position the client saw), then live alarm, CEL and value deltas, and a heartbeat
 * so a client notices a silent server within a second.
 */
export interface WsGateway {
  /** Takes a WebSocket upgrade for `/ws`; returns false for any other path. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean;
  /** Closes every client with 1012 (service restart): they reconnect and subscribe to the projects as they run now. */
  restartClients(reason: string): void;
  close(): void;
}

export function createWsGateway(ctx: ApiContext): WsGateway {
  const wss = new WebSocketServer({ noServer: true, maxPayload: WS_FRAME_BYTES_MAX });
  return {
    handleUpgrade(req, socket, head) {
      const url = new URL(req.url ?? '/', 'http://localhost');
      if (url.pathname !== '/ws') return false;
      if (wss.clients.size >= CLIENTS_MAX) {
        socket.end('HTTP/1.1 503 Service Unavailable\r\nconnection: close\r\n\r\n');
        return true;
      }
      let caller: Caller | null;
      try {
        // Browsers cannot set headers on a WebSocket: the token may come as `?access_token=`.
        caller = ctx.auth.caller(bearerToken(req) ?? url.searchParams.get('access_token'));
        ctx.auth.authorize(caller, 'view', null);
      } catch (error) {
        if (!(error instanceof HttpError)) throw error;
        log('warn', `refused WebSocket from ${req.socket.remoteAddress ?? 'unknown'}: ${error.status} ${error.message}`);
        const body = JSON.stringify({ error: { code: error.code, message: error.message } });
        socket.end(`HTTP/1.1 ${error.status} ${error.status === 401 ? 'Unauthorized' : 'Forbidden'}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`);
        return true;
      }
      wss.handleUpgrade(req, socket, head, (ws) => new ClientSession(ws, ctx, caller));
      return true;
    },
    restartClients(reason) {
      for (const client of wss.clients) client.close(1012, reason);
    },
    close() {
      for (const client of wss.clients) client.close(1001, 'server shutting down');
      wss.close();
    },
  };
}

class ClientSession {
  private readonly subscriptions = new Map<string, Subscription>();
  private readonly timers: NodeJS.Timeout[];

  constructor(
    private readonly ws: WebSocket,
    private readonly ctx: ApiContext,
    private readonly caller: Caller | null,
  ) {
    this.send({ type: 'welcome', node: ctx.node, version: ctx.version, heartbeatMs: WS_HEARTBEAT_MS });
    // A token's session ends with it: the client signs in again and reconnects.
    const expiresInMs = caller ? caller.claims.exp - ctx.clock.now() : null;
    this.timers = [
      ...(expiresInMs === null ? [] : [setTimeout(() => ws.close(4001, 'token expired: sign in again'), Math.max(0, expiresInMs))]),
      setInterval(() => this.send({ type: 'heartbeat', t: ctx.clock.now() }), WS_HEARTBEAT_MS),
      setInterval(() => this.flushValues(), VALUES_FLUSH_MS),
      setInterval(() => this.sendStatus(), WS_STATUS_MS),
    ];
    ws.on('message', (data, isBinary) => this.onMessage(data, isBinary));
    ws.on('close', () => this.dispose());
    ws.on('error', (error) => log('warn', `client socket error: ${error.message}`));
  }

  private onMessage(data: RawData, isBinary: boolean): void {
    let json: unknown;
    try {
      json = isBinary ? undefined : JSON.parse(data.toString());
    } catch {
      json = undefined;
    }
    const parsed = ClientMessage.safeParse(json);
    if (!parsed.success) {
      this.send({ type: 'error', code: 'badFrame', message: 'a frame was not a valid client message (JSON with a known "type"); it was ignored' });
      return;
    }
    const message = parsed.data;
    switch (message.type) {
      case 'unsubscribe':
        this.subscriptions.get(message.project)?.unsubscribe();
        this.subscriptions.delete(message.project);
        return;
      case 'witness':
        if (this.mayView(message.project)) this.ctx.projects.get(message.project)?.witness(message.server, message.epoch, message.silentForMs);
        return;
      case 'subscribe':
        if (this.mayView(message.project)) this.subscribe(message.project, message.resume);
        return;
    }
  }

  /** Viewing a project needs what GET routes need; a refusal is an error frame naming what is missing. */
  private mayView(projectId: string): boolean {
    try {
      this.ctx.auth.authorize(this.caller, 'view', projectId);
      return true;
    } catch (error) {
      if (!(error instanceof HttpError)) throw error;
      this.send({ type: 'error', code: error.code, message: error.message });
      return false;
    }
  }

  private subscribe(projectId: string, resume: Position | undefined): void {
    const project = this.ctx.projects.get(projectId);
    if (!project) {
      this.send({ type: 'error', code: 'notFound', message: `there is no project "${projectId}" on node ${this.ctx.node}` });
      return;
    }
    this.subscriptions.get(projectId)?.unsubscribe();
    const pendingValues = new Map<string, Sample>();
    const unsubscribe = project.subscribe({
      ops: (ops, position) => this.onOps(projectId, ops, position),
      values: (samples) => {
        for (const sample of samples) pendingValues.set(sample.tag, sample);
      },
      role: (_role, _server, reason) => this.send({ type: 'status', project: projectId, status: project.status(), reason }),
    });
    this.subscriptions.set(projectId, { project, unsubscribe, pendingValues });
    this.sendSnapshot(project, resume);
  }

  private sendSnapshot(project: ProjectHost, resume: Position | undefined): void {
    // A position this log does not hold (seen on a Server that failed before replicating it) cannot be resumed from.
    const resumable = resume && project.holdsPosition(resume) ? resume : undefined;
    const missed = resumable ? project.queryCel({ after: resumable.seq, limit: SNAPSHOT_CEL_MAX }) : null;
    // More entries missed than one snapshot carries: the client starts its list afresh instead.
    const resumed = missed !== null && missed.next === null;
    const newest = resumed ? null : project.queryCel({ limit: SNAPSHOT_CEL_MAX });
    const status = project.status();
    this.send({
      type: 'snapshot',
      project: project.project.id,
      position: project.position(),
      server: status.server,
      role: status.role,
      tags: project.tags(),
      alarms: project.activeAlarms(),
      resumed,
      cel: newest ? [...newest.entries].reverse() : missed!.entries,
      celTruncated: newest ? newest.next !== null : false,
    });
  }

  private onOps(projectId: string, ops: LoggedOp[], position: Position): void {
    const alarms = [];
    const entries = [];
    for (const op of ops) {
      if (op.kind === 'alarm') alarms.push(op.status);
      const cel = celFactOf(op);
      if (cel) entries.push({ ...cel, seq: op.seq });
    }
    if (alarms.length > 0) this.send({ type: 'alarms', project: projectId, position, alarms });
    if (entries.length > 0) this.send({ type: 'cel', project: projectId, position, entries });
  }

  private sendStatus(): void {
    for (const [projectId, subscription] of this.subscriptions) {
      this.send({ type: 'status', project: projectId, status: subscription.project.status(), reason: null });
    }
  }

  private flushValues(): void {
    for (const [projectId, subscription] of this.subscriptions) {
      if (subscription.pendingValues.size === 0) continue;
      const samples = [...subscription.pendingValues.values()];
      subscription.pendingValues.clear();
      this.send({ type: 'values', project: projectId, samples });
    }
  }

  private send(message: ServerMessage): void {
    if (this.ws.readyState !== this.ws.OPEN) return;
    if (this.ws.bufferedAmount > WS_SEND_BUFFER_BYTES_MAX) {
      log('warn', 'a client fell too far behind; disconnecting it so it resumes with a fresh snapshot');
      this.ws.close(1013, 'client too slow');
      return;
    }
    this.ws.send(JSON.stringify(message));
  }

  private dispose(): void {
    for (const timer of this.timers) clearTimeout(timer);
    for (const subscription of this.subscriptions.values()) subscription.unsubscribe();
    this.subscriptions.clear();
  }
}
