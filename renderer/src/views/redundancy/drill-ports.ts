import { CommandResponse, StatusResponse, SwitchoversResponse, type ProjectStatus } from '../../../../shared/protocol/api.js';
import { redundancyStore, type RedundancyState } from '../../stores/redundancy-store.js';
import { postCommand } from '../../transport/command-post.js';
import { getJson, nodeApiUrl } from '../../transport/http.js';
import { projectPath } from '../../transport/project-path.js';
import { newRequestId } from '../../transport/request-id.js';
import type { DrillPorts } from './drill-runner.js';

const DRILL_COMMENT = 'Failover drill from the Redundancy dashboard';

const servingNode = (s: RedundancyState) => (s.serving ? (s.servedBy?.node ?? null) : null);

/** Resolves with the station time at which `node` serves this station, or null after `timeoutMs`. */
function servedAt(node: string, timeoutMs: number): Promise<number | null> {
  return new Promise((resolve) => {
    const finish = (value: number | null) => {
      unsubscribe();
      clearTimeout(timer);
      resolve(value);
    };
    const unsubscribe = redundancyStore.subscribe((s) => {
      if (servingNode(s) === node) finish(Date.now());
    });
    const timer = setTimeout(() => finish(null), timeoutMs);
    if (servingNode(redundancyStore.getState()) === node) finish(Date.now());
  });
}

/** A fresh status from each node of the project (not the dashboard's last poll: the drill compares one moment). */
async function statuses(projectId: string): Promise<ReadonlyMap<string, ProjectStatus>> {
  const nodes = [...redundancyStore.getState().addresses.keys()];
  const answers = await Promise.all(nodes.map((node) => getJson(nodeApiUrl('/api/status', node), StatusResponse).catch(() => null)));
  const found = new Map<string, ProjectStatus>();
  for (const answer of answers) {
    const status = answer?.projects.find((p) => p.id === projectId);
    if (answer && status) found.set(answer.node, status);
  }
  return found;
}

/** The drill against the real pair: commands through the Server this station follows, time from the station's clock. */
export function drillPorts(projectId: string, user: string, progress: (text: string) => void): DrillPorts {
  return {
    now: () => Date.now(),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    switchover: async (to) => {
      await postCommand(`${projectPath(projectId)}/switchover`, { requestId: newRequestId(), user, comment: DRILL_COMMENT, to }, CommandResponse, () => undefined);
    },
    servedAt,
    statuses: () => statuses(projectId),
    switchovers: async () => (await getJson(`${projectPath(projectId)}/switchovers?limit=20`, SwitchoversResponse)).switchovers,
    progress,
  };
}
