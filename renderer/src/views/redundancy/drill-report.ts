/** What the drill compares on both nodes after a leg: equal log position and equal stored facts. */
export interface NodeFacts {
  node: string;
  seq: number;
  stateHash: string;
}

/** One planned switchover of the drill, as measured by this station and recorded by the pair. */
export interface DrillLeg {
  from: string;
  to: string;
  /** Station clock when the command was sent. */
  commandAtMs: number;
  /** From sending the command until `to` served this station; null if it did not within the bound. */
  servedAfterMs: number | null;
  /** The new Server's epoch and the gap its log recorded for this switchover; null if not found. */
  epoch: number | null;
  gapMs: number | null;
  /** True when both nodes held the same events (seq and state hash) after the leg. */
  verified: boolean;
  /** "verified", or what differed or went wrong, in words. */
  check: string;
}

export interface DrillReport {
  project: string;
  user: string;
  startedAtMs: number;
  finishedAtMs: number;
  legs: DrillLeg[];
  /** Why the drill stopped early; null when every leg ran. */
  stoppedBecause: string | null;
}

/** Null when the two nodes hold the same events; otherwise what differs, with both values. */
export function factsDiffer(a: NodeFacts, b: NodeFacts): string | null {
  const differences: string[] = [];
  if (a.seq !== b.seq) differences.push(`seq ${a.node} ${a.seq} ≠ ${b.node} ${b.seq}`);
  if (a.stateHash !== b.stateHash) differences.push(`state hash ${a.node} ${a.stateHash} ≠ ${b.node} ${b.stateHash}`);
  return differences.length > 0 ? differences.join('; ') : null;
}

export function drillPassed(report: DrillReport): boolean {
  return report.stoppedBecause === null && report.legs.length === 2 && report.legs.every((leg) => leg.verified);
}

const ms = (value: number | null) => (value === null ? '—' : `${Math.round(value)} ms`);

/** The report as plain text to keep with the plant's records; `clock` formats station times. */
export function drillReportText(report: DrillReport, clock: (ms: number) => string): string {
  const lines = [
    `Tandem failover drill — project ${report.project}`,
    `Run by ${report.user}, ${clock(report.startedAtMs)} to ${clock(report.finishedAtMs)}`,
    `Result: ${drillPassed(report) ? 'passed' : 'failed'}`,
  ];
  report.legs.forEach((leg, i) => {
    lines.push(
      `Leg ${i + 1}: ${leg.from} → ${leg.to} at ${clock(leg.commandAtMs)}`,
      `  serving this station after: ${ms(leg.servedAfterMs)}`,
      `  gap recorded in the log: ${ms(leg.gapMs)}${leg.epoch === null ? '' : ` (epoch ${leg.epoch})`}`,
      `  events on both nodes: ${leg.check}`,
    );
  });
  if (report.stoppedBecause !== null) lines.push(`Stopped: ${report.stoppedBecause}`);
  return `${lines.join('\n')}\n`;
}

export function drillReportJson(report: DrillReport): string {
  return `${JSON.stringify({ ...report, passed: drillPassed(report) }, null, 2)}\n`;
}
