import { log } from './log.js';

/**
 * `tandem serve --demo-power-cut` (only `tandem demo` sets it): the node ends as a power cut would
 * end it, with SIGKILL to itself: no clean stop, no goodbye to the peer, nothing flushed that the
 * store had not made durable. The Standby notices only by the silence, as it would in a plant.
 */
export function cutPower(askedBy: string): void {
  log('warn', `power cut asked for by ${askedBy} (demo only, --demo-power-cut): this process ends now with SIGKILL`);
  process.kill(process.pid, 'SIGKILL');
}
