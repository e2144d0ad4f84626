import type { ClientMessage } from '../../../shared/protocol/ws.js';
import type { Served } from '../stores/switchovers.js';

/** How often a station testifies to each node; well inside any failure timeout. */
export const WITNESS_PERIOD_MS = 250;
/** The protocol's bound on `silentForMs` (ws.ts). */
const SILENT_FOR_MS_MAX = 86_400_000;

export type WitnessFrame = Extract<ClientMessage, { type: 'witness' }>;

/**
 * What this station tells the nodes: when it last heard the Server that serves (or last served) it,
 * on the data connection. Nothing before it has been served at all.
 */
export function witnessFrame(project: string | null, served: Served | null, lastServedFrameAtMs: number | null, nowMs: number): WitnessFrame | null {
  if (project === null || served === null || lastServedFrameAtMs === null) return null;
  const silentForMs = Math.min(Math.max(0, nowMs - lastServedFrameAtMs), SILENT_FOR_MS_MAX);
  return { type: 'witness', project, server: served.node, epoch: served.epoch, silentForMs };
}

/** Every node but the Server named in the frame hears it (the Server needs no word about itself). */
export function witnessRecipients(frame: WitnessFrame, connected: readonly string[]): string[] {
  return connected.filter((node) => node !== frame.server);
}
