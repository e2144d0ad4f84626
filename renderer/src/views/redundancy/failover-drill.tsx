import { useState } from 'react';
import { authStore, openLogin, useGate } from '../../stores/auth-store.js';
import { useProject } from '../../stores/project-store.js';
import { useRedundancy } from '../../stores/redundancy-store.js';
import { drillRefusal } from './drill-check.js';
import { drillPorts } from './drill-ports.js';
import { DrillReportView } from './drill-report-view.js';
import { DRILL_WAIT_MS, runFailoverDrill } from './drill-runner.js';
import { drillFinished, drillProgress, drillStarted, drillStore, useDrill } from './drill-store.js';

/**
 * One click (and a confirmation) switches the pair over to the Standby and back, waits for each role
 * change, and reports how long each took and whether both nodes hold the same events afterwards.
 */
export function FailoverDrill() {
  const server = useRedundancy((s) => (s.serving ? s.dataStatus : null));
  const projectId = useProject((s) => s.projectId);
  const [asking, setAsking] = useState(false);
  const progress = useDrill((s) => s.progress);
  const report = useDrill((s) => s.report);
  const running = progress !== null;
  const refusal = running ? null : drillRefusal(server);
  const standby = server?.peer?.node ?? 'the Standby';
  const self = server?.server ?? 'the Server';
  const gate = useGate('engineer');

  const run = async () => {
    setAsking(false);
    if (!server?.peer || projectId === null || drillRefusal(server) !== null || drillStore.getState().progress !== null) return;
    // The drill's switchovers are commands: they need an engineer's login and are logged under that user.
    const user = authStore.getState().session?.user;
    if (user === undefined) {
      openLogin('The failover drill switches roles: sign in as an engineer, then run it again.');
      return;
    }
    drillStarted();
    const plan = { project: projectId, user, server: server.server, standby: server.peer.node };
    drillFinished(await runFailoverDrill(drillPorts(projectId, plan.user, drillProgress), plan));
  };

  return (
    <div className="panel wide" data-testid="failover-drill">
      <h2>Failover drill</h2>
      {/* A pair that can no longer switch takes the question away with it. */}
      {asking && refusal === null ? (
        <form
          className="inline-panel"
          aria-label="Run the failover drill"
          data-testid="drill-question"
          onSubmit={(event) => {
            event.preventDefault();
            void run();
          }}
          onKeyDown={(event) => {
            if (event.key === 'Escape') setAsking(false);
          }}
        >
          <span>
            Run a failover drill? {self} hands the Server role to {standby} in a planned switchover, then {standby} hands it back; each step waits
            for the role change (at most {DRILL_WAIT_MS / 1000} s). Operators keep their screens; both switchovers are logged with your name and {self}
            stays the preferred Server at the end.
          </span>
          <button type="submit" data-testid="drill-confirm" autoFocus>
            Run the drill
          </button>
          <button type="button" onClick={() => setAsking(false)}>
            Cancel
          </button>
        </form>
      ) : (
        <div className="role-actions">
          <button type="button" data-testid="drill-start" disabled={running || refusal !== null || gate.disabled} title={gate.why ?? undefined} onClick={() => setAsking(true)}>
            Run failover drill…
          </button>
          {refusal ? (
            <span className="muted" data-testid="drill-refusal">
              {refusal}
            </span>
          ) : null}
          {running ? <span data-testid="drill-progress">{progress}</span> : null}
        </div>
      )}
      {report ? <DrillReportView report={report} /> : null}
    </div>
  );
}
