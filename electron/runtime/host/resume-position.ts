import { EpochHistory, type EpochStart } from '../../engine/redundancy/epoch-history.js';
import type { Position } from '../../../shared/protocol/entities.js';

/**
 * Whether this node's log holds the entry a client last saw. After a failover the client may have
 * seen entries the old Server never replicated; the new Server's log has other entries at those seqs,
 * so resuming "after seq" would skip its own and show two entries with one seq. The client's entry
 * is held if its epoch's part of this log reaches its seq.
 */
export function holdsPosition(epochStarts: readonly EpochStart[], logEndSeq: number, position: Position): boolean {
  if (position.seq === 0) return true;
  const history = new EpochHistory(epochStarts);
  const { epoch, endSeq } = history.endOf(position.epoch, logEndSeq);
  return epoch !== 0 && position.seq <= endSeq;
}
