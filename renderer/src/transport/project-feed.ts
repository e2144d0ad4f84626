import type { ServerMessage } from '../../../shared/protocol/ws.js';
import { showBanner } from '../stores/banner-store.js';
import { noteHeartbeat, setConnectionProblem, setLinkState } from '../stores/connection-store.js';
import { addFrame, emptyPending } from '../stores/pending-updates.js';
import { applyPending, applySnapshot, projectStore, setProjectId, setProjectStatus } from '../stores/project-store.js';
import { publishSamples } from '../stores/sample-bus.js';
import { createFlushScheduler } from './flush-scheduler.js';
import { errorText } from './http.js';
import { resolveProjectId } from './project-id.js';
import { startServerFollower } from './server-follower.js';
import type { SocketLike } from './ws-client.js';
import { currentToken } from '../stores/auth-store.js';

/**
 * Feeds the stores from the node that serves the project (server-follower.ts keeps the connection
 * on it). Everything here runs outside React; views only read the stores.
 */
export function startProjectFeed(location: Location): () => void {
  let pending = emptyPending();
  const scheduler = createFlushScheduler(() => {
    const ready = pending;
    pending = emptyPending();
    applyPending(ready);
  });
  let projectId: string | null = null;

  const ensureProjectId = async (): Promise<string> => {
    if (projectId === null) {
      try {
        projectId = await resolveProjectId(location.search);
      } catch (error) {
        setConnectionProblem(errorText(error));
        throw error;
      }
      setProjectId(projectId);
    }
    return projectId;
  };

  const onFrame = (message: ServerMessage, atMs: number) => {
    switch (message.type) {
      case 'welcome':
        return;
      case 'heartbeat':
        noteHeartbeat(atMs, message.t);
        return;
      case 'snapshot':
        scheduler.flushNow();
        applySnapshot(message);
        return;
      case 'status':
        if (message.project === projectId) setProjectStatus(message.status);
        return;
      case 'values':
        publishSamples(message.samples);
        addFrame(pending, message);
        scheduler.request();
        return;
      case 'alarms':
      case 'cel':
        addFrame(pending, message);
        scheduler.request();
        return;
      case 'error':
        showBanner(`The server reports: ${message.message}`);
        return;
    }
  };

  const follower = startServerFollower({
    page: location,
    createSocket: (url) => new WebSocket(withToken(url)) as unknown as SocketLike,
    projectId: () => projectId,
    async subscribe(send) {
      const project = await ensureProjectId();
      // Frames still buffered came before this subscription; apply them so the resume position covers them.
      scheduler.flushNow();
      const resume = projectStore.getState().position ?? undefined;
      send(resume ? { type: 'subscribe', project, resume } : { type: 'subscribe', project });
    },
    onFrame,
    onLinkState: setLinkState,
  });

  return () => {
    scheduler.stop();
    follower.stop();
  };
}

/** Browsers cannot set headers on a WebSocket: the token travels as `access_token` (docs/api.md). */
function withToken(url: string): string {
  const token = currentToken();
  if (token === null) return url;
  const withParam = new URL(url);
  withParam.searchParams.set('access_token', token);
  return withParam.toString();
}
