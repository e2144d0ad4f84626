import { StatusResponse } from '../../../shared/protocol/api.js';
import type { ServerMessage } from '../../../shared/protocol/ws.js';
import { showBanner } from '../stores/banner-store.js';
import {
  connectionStore,
  noteHeartbeat,
  setConnectionProblem,
  setLinkState,
  setServingNode,
} from '../stores/connection-store.js';
import { addFrame, emptyPending } from '../stores/pending-updates.js';
import { applyPending, applySnapshot, projectStore, setProjectId, setProjectStatus } from '../stores/project-store.js';
import { publishSamples } from '../stores/sample-bus.js';
import { createFlushScheduler } from './flush-scheduler.js';
import { errorText, getJson } from './http.js';
import { resolveProjectId } from './project-id.js';
import { startWsClient, type SocketLike } from './ws-client.js';

/** Name, epoch, state hash and drivers reach clients only over HTTP, so they are polled. */
const STATUS_POLL_MS = 2_000;

/**
 * Feeds the stores from one runtime: the WebSocket for live data, HTTP for the status. Everything
 * here runs outside React; views only read the stores.
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

  const pollStatus = async () => {
    if (projectId === null || connectionStore.getState().state !== 'connected') return;
    try {
      const status = await getJson('/api/status', StatusResponse);
      const project = status.projects.find((p) => p.id === projectId);
      if (project) setProjectStatus(project);
    } catch (error) {
      console.warn('tandem: status poll failed', error);
    }
  };

  const onMessage = (message: ServerMessage, atMs: number) => {
    switch (message.type) {
      case 'welcome':
        setServingNode(message.node);
        return;
      case 'heartbeat':
        noteHeartbeat(atMs, message.t);
        return;
      case 'snapshot':
        scheduler.flushNow();
        applySnapshot(message);
        void pollStatus();
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

  const client = startWsClient({
    url: webSocketUrl(location),
    createSocket: (url) => new WebSocket(url) as unknown as SocketLike,
    async onOpen(send) {
      const project = await ensureProjectId();
      // Frames still buffered belong to the old link; apply them so the resume position covers them.
      scheduler.flushNow();
      const resume = projectStore.getState().position ?? undefined;
      send(resume ? { type: 'subscribe', project, resume } : { type: 'subscribe', project });
    },
    onMessage,
    onLinkState: setLinkState,
  });

  const statusTimer = setInterval(() => void pollStatus(), STATUS_POLL_MS);

  return () => {
    clearInterval(statusTimer);
    scheduler.stop();
    client.stop();
  };
}

export function webSocketUrl(location: Pick<Location, 'protocol' | 'host'>): string {
  return `${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}/ws`;
}
