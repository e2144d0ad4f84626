import type { ResourceHealth } from '../../../../shared/protocol/api.js';

/** Above these a node answers heartbeats late or may stop storing: shown as a fault. */
const EVENT_LOOP_DELAY_HIGH_MS = 100;
const DISK_FREE_LOW_MB = 1_024;
const MEMORY_FREE_LOW_PERCENT = 5;

const fault = (bad: boolean) => (bad ? 'fault-text' : undefined);

/** CPU, event-loop delay, memory and disk of one node, in one line with the worrying values marked. */
export function ResourceFacts({ resources }: { resources: ResourceHealth | null }) {
  if (resources === null) return <span>—</span>;
  const r = resources;
  return (
    <span className="resource-facts num" data-testid="node-resources">
      <span title="CPU of the Tandem process, % of one core">CPU {Math.round(r.cpuPercent)} %</span>
      <span className={fault(r.eventLoopDelayP99Ms > EVENT_LOOP_DELAY_HIGH_MS)} title="Event-loop delay, 99th percentile over the last second: how late heartbeats are answered">
        loop {Math.round(r.eventLoopDelayP99Ms)} ms
      </span>
      <span className={fault(r.systemMemoryFreePercent < MEMORY_FREE_LOW_PERCENT)} title="Memory of the process, and free memory of the PC">
        mem {Math.round(r.memoryRssMb)} MB ({Math.round(r.systemMemoryFreePercent)} % free)
      </span>
      <span className={fault(r.diskFreeMb !== null && r.diskFreeMb < DISK_FREE_LOW_MB)} title="Free disk where the project data lives">
        disk {r.diskFreeMb === null ? 'unknown' : `${(r.diskFreeMb / 1024).toFixed(1)} GB free`}
      </span>
    </span>
  );
}
