import { useEffect } from 'react';
import { StatusResponse, SwitchoversResponse } from '../../../../shared/protocol/api.js';
import { projectStore } from '../../stores/project-store.js';
import { redundancyStore } from '../../stores/redundancy-store.js';
import { errorText, getJson, nodeApiUrl } from '../../transport/http.js';
import { projectPath } from '../../transport/project-path.js';
import { notePollRound, recordNodeSilent, recordNodeStatus, setSwitchoverHistory, setSwitchoverHistoryProblem } from './dashboard-store.js';

/** Twice a second, so what the dashboard shows is never more than a second old. */
const STATUS_POLL_MS = 500;
/** The history changes only on a switchover; a second is soon enough to list it. */
const SWITCHOVERS_POLL_MS = 1_000;
const SWITCHOVERS_SHOWN = 100;

/** Every node of the project by name; the page's own node (name not yet known) as null. */
function nodesToPoll(): (string | null)[] {
  const { addresses, dataNode } = redundancyStore.getState();
  return addresses.size > 0 ? [...addresses.keys()] : [dataNode];
}

/** Polls every node's status and the Server's switchover history while the dashboard is open. */
export function useDashboardPoll(): void {
  useEffect(() => {
    const stopped = new AbortController();
    const inFlight = new Set<string | null>();

    const pollNode = async (node: string | null, projectId: string) => {
      if (inFlight.has(node)) return;
      inFlight.add(node);
      try {
        const answer = await getJson(nodeApiUrl('/api/status', node), StatusResponse, stopped.signal);
        const status = answer.projects.find((p) => p.id === projectId);
        if (status) recordNodeStatus(answer.node, Date.now(), status, answer.resources);
        else if (node !== null) recordNodeSilent(node, Date.now(), `${node} does not run project ${projectId}`);
      } catch (error) {
        if (!stopped.signal.aborted && node !== null) recordNodeSilent(node, Date.now(), errorText(error));
      } finally {
        inFlight.delete(node);
      }
    };

    let switchoversInFlight = false;
    const pollSwitchovers = async (projectId: string) => {
      if (switchoversInFlight) return;
      switchoversInFlight = true;
      try {
        const answer = await getJson(`${projectPath(projectId)}/switchovers?limit=${SWITCHOVERS_SHOWN}`, SwitchoversResponse, stopped.signal);
        setSwitchoverHistory(answer.switchovers);
      } catch (error) {
        if (!stopped.signal.aborted) setSwitchoverHistoryProblem(errorText(error));
      } finally {
        switchoversInFlight = false;
      }
    };

    const statusRound = () => {
      const projectId = projectStore.getState().projectId;
      if (projectId === null) return;
      notePollRound(Date.now());
      for (const node of nodesToPoll()) void pollNode(node, projectId);
    };
    const switchoversRound = () => {
      const projectId = projectStore.getState().projectId;
      if (projectId !== null) void pollSwitchovers(projectId);
    };

    statusRound();
    switchoversRound();
    const timers = [setInterval(statusRound, STATUS_POLL_MS), setInterval(switchoversRound, SWITCHOVERS_POLL_MS)];
    return () => {
      stopped.abort();
      timers.forEach(clearInterval);
    };
  }, []);
}
