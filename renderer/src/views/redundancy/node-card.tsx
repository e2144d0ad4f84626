import { displayFingerprint } from '../../../../shared/cluster/fingerprint.js';
import { driverSummary, driversUnhealthy } from '../common/driver-summary.js';
import { STATION_LINK_LABEL, type StationLink } from '../overview/node-rows.js';
import { ROLE_LABEL } from '../shell/role-label.js';
import { AlignmentProgress } from './alignment-progress.js';
import { certificateHint, inDesktopApp } from './certificate-hint.js';
import type { NodeReading } from './dashboard-store.js';
import { ResourceFacts } from './resource-facts.js';
import { Sparkline } from './sparkline-svg.js';

/** A status older than this is shown as old: the dashboard promises at most a second. */
export const STATUS_FRESH_MS = 1_500;
/** The round-trip sparkline's scale reaches at least this, so a few ms of jitter stay small. */
const RTT_SCALE_MIN_MS = 10;

export interface NodeCardProps {
  node: string;
  /** Where this station reaches the node (null: the page's own origin). */
  address: string | null;
  /** Its TLS certificate's fingerprint, as any node of the pair reports it (null: none known). */
  fingerprint: string | null;
  reading: NodeReading | null;
  stationLink: StationLink;
  servesStation: boolean;
  nowMs: number;
}

function statusAge(reading: NodeReading | null, nowMs: number): { text: string; old: boolean; why: string | undefined } {
  const why = reading?.problem ?? undefined;
  if (reading?.answeredAtMs == null) return { text: why ? 'no answer' : 'waiting for its status…', old: true, why };
  const ageS = (Math.max(0, nowMs - reading.answeredAtMs) / 1000).toFixed(1);
  if (why) return { text: `no answer for ${ageS} s`, old: true, why };
  return { text: `status ${ageS} s old`, old: nowMs - reading.answeredAtMs > STATUS_FRESH_MS, why };
}

/** One node of the pair at a glance: what it does, its link, how far behind it is, its drivers and resources. */
export function NodeCard({ node, address, fingerprint, reading, stationLink, servesStation, nowMs }: NodeCardProps) {
  const st = reading?.status ?? null;
  const peer = st?.peer ?? null;
  const outOfService = st?.roles.outOfService.includes(node) ?? false;
  const age = statusAge(reading, nowMs);
  // Over a cut link the last round trip is history, not a reading.
  const rtt = peer?.link === 'up' ? peer.heartbeatRttMs : null;
  return (
    <article className="panel node-card" data-testid="dashboard-node" data-node={node} aria-label={`Node ${node}`}>
      <header className="node-card-head">
        <h3>{node}</h3>
        <span className="node-role" data-testid="node-role">
          {st ? ROLE_LABEL[st.role] : 'no answer'}
          {outOfService ? ' · out of service' : ''}
        </span>
        {servesStation ? <span className="muted">serves this station</span> : null}
        {st?.degraded ? (
          <span className="fault-chip" data-testid="node-degraded">
            Redundancy degraded
          </span>
        ) : null}
        <span className={age.old ? 'fault-text small' : 'muted small'} title={age.why} data-testid="node-status-age">
          {age.text}
        </span>
      </header>
      <dl className="facts">
        <dt>Epoch / seq</dt>
        <dd className="num">{st ? `${st.epoch} / ${st.seq}` : '—'}</dd>
        <dt>This station</dt>
        <dd className={stationLink === 'down' ? 'fault-text' : undefined}>
          {STATION_LINK_LABEL[stationLink]}
          <CertificateHint node={node} address={certificateHint(stationLink, address, inDesktopApp())} />
        </dd>
        <dt>Peer link</dt>
        <dd className={peer?.link === 'down' ? 'fault-text' : undefined}>
          {peer ? `${peer.link} (to ${peer.node})` : '—'}
          {peer?.problem ? (
            <div className="small" data-testid="node-link-problem">
              {peer.problem}
            </div>
          ) : null}
        </dd>
        <dt>Heartbeat round trip</dt>
        <dd className="rtt">
          <span className="num" data-testid="node-rtt">
            {rtt === null ? '—' : `${rtt.toFixed(1)} ms`}
          </span>
          <Sparkline values={reading?.heartbeatRttMs ?? []} nowMs={nowMs} minTop={RTT_SCALE_MIN_MS} label={`Heartbeat round trip of ${node}, last minute`} />
        </dd>
        <dt>Replication lag</dt>
        <dd className="num" data-testid="node-lag">
          {st && peer ? `${st.replication.lagOps} ops · ${Math.round(st.replication.lagMs)} ms` : '—'}
        </dd>
        <dt>Alignment</dt>
        <dd>{st?.role === 'aligning' ? <AlignmentProgress node={node} progress={st.alignmentProgress} history={reading?.alignment ?? []} /> : st?.role === 'standby' ? 'aligned' : '—'}</dd>
        <dt>Drivers</dt>
        <dd className={st && driversUnhealthy(st.drivers) ? 'fault-text' : undefined} data-testid="node-drivers">
          {st ? driverSummary(st.drivers) : '—'}
        </dd>
        <dt>Resources</dt>
        <dd>
          <ResourceFacts resources={reading?.resources ?? null} />
        </dd>
        <dt title="Compare with what the browser shows for this node's https:// address">TLS certificate (SHA-256)</dt>
        <dd className="fingerprint small" data-testid="node-fingerprint">
          {fingerprint ? displayFingerprint(fingerprint) : '—'}
        </dd>
      </dl>
    </article>
  );
}

/** For a browser that may not have accepted the node's certificate yet: where to accept it. */
function CertificateHint({ node, address }: { node: string; address: string | null }) {
  if (address === null) return null;
  return (
    <div className="small" data-testid="node-certificate-hint">
      If this browser has not accepted {node}&apos;s certificate yet, open{' '}
      <a href={address} target="_blank" rel="noopener noreferrer">
        {new URL(address).host}
      </a>{' '}
      once and accept it, after comparing the fingerprint below.
    </div>
  );
}
