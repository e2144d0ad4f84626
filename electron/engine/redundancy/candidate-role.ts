import type { PeerMessage } from '../../../shared/protocol/peer.js';
import type { EngineInput, PairConfig } from './engine-types.js';
import type { PairState } from './pair-state.js';
import { follow, promote } from './role-changes.js';

/**
 * How long a starting node that hears nobody waits before it serves alone: longer than the failure
 * timeout and than the peer link takes to redial (at most 1 s) and authenticate, so two nodes started
 * a moment apart do not both begin by serving.
 */
export function candidateAloneMs(config: Pick<PairConfig, 'failureTimeoutMs' | 'startupAloneMs'>): number {
  return config.startupAloneMs ?? Math.max(2 * config.failureTimeoutMs, 2_000);
}

/**
 * A node that has just started: it buffers its drivers' readings and listens. It follows a Server it
 * hears; it serves first if it hears nobody for candidateAloneMs, or if its peer is starting too and
 * this node has read the plant longer. It stores nothing, so it has nothing to acknowledge.
 */
export function stepCandidate(s: PairState, input: EngineInput): void {
  switch (input.kind) {
    case 'tick':
      return onTick(s);
    case 'samples':
      s.buffer.add(input.driver, input.samples);
      return;
    case 'peer':
      return onMessage(s, input.envelope.message);
    case 'command':
      s.refuseCommand(input.request.requestId);
      return;
  }
}

function onTick(s: PairState): void {
  const { config, peer } = s;
  if (config.peer === null) {
    promote(s, 'standalone', 'start', null);
    return;
  }
  // Out of service (maintenance): it follows a Server when it hears one, but never serves itself.
  if (!s.inService(config.self)) return;
  const sinceBootMs = s.nowMs - s.startedAtMs;
  if (s.peerAlive && peer.role !== null) {
    // A Standby that is alive holds the newest data (its log and its buffer): it takes over, not us.
    if (peer.role !== 'candidate') return;
    // Both starting: the node that has read the plant longer serves first (it can fill more of the
    // gap); with equal buffers, the preferred one. The other follows, failback follows the rules.
    const ours = s.buffer.oldestMs ?? Infinity;
    const theirs = peer.bufferedFromMs ?? Infinity;
    const first = ours === theirs ? config.self === s.preferred : ours < theirs;
    if (first) promote(s, `starting together with ${config.peer}; this node has read the plant longer or is preferred`, 'start', null);
    else if (sinceBootMs >= 2 * config.failureTimeoutMs) promote(s, `${config.peer} is not serving`, 'notServing', null);
    return;
  }
  if (sinceBootMs >= candidateAloneMs(config) && !s.witnessSeesServer()) {
    promote(s, `no answer from ${config.peer} since start${s.stallNote()}`, 'start', null);
  }
}

function onMessage(s: PairState, message: PeerMessage): void {
  switch (message.type) {
    case 'heartbeat':
      if (message.role !== 'server') return;
      s.server = s.config.peer;
      follow(s);
      return;
    case 'append':
      s.server = s.config.peer;
      s.serverHeardAtMs = s.nowMs;
      follow(s);
      return;
    // A handover is ignored: a node that just started has read too little of the plant to take over on request.
  }
}
