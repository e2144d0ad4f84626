import type { PeerEnvelope } from '../../shared/protocol/peer.js';
import type { Prng } from './prng.js';

export interface NetworkFaults {
  lossRate: number;
  duplicateRate: number;
  delayMinMs: number;
  delayMaxMs: number;
}

interface InFlight {
  deliverAtMs: number;
  order: number;
  to: string;
  envelope: PeerEnvelope;
}

/**
 * The peer link between simulated nodes: each message is delayed, maybe lost or duplicated, and
 * can overtake others (the real link is one ordered socket, so reordering here is stricter than
 * reality). Partitions may be one-way: `cut(a, b)` stops a's messages to b only.
 */
export class SimNetwork {
  private queue: InFlight[] = [];
  private readonly cuts = new Set<string>();
  private order = 0;

  constructor(
    private readonly prng: Prng,
    public faults: NetworkFaults,
  ) {}

  send(from: string, to: string, envelope: PeerEnvelope, nowMs: number): void {
    if (this.cuts.has(`${from}>${to}`) || this.prng.chance(this.faults.lossRate)) return;
    const copies = this.prng.chance(this.faults.duplicateRate) ? 2 : 1;
    for (let i = 0; i < copies; i++) {
      const deliverAtMs = nowMs + this.prng.int(this.faults.delayMinMs, this.faults.delayMaxMs);
      this.queue.push({ deliverAtMs, order: this.order++, to, envelope });
    }
  }

  /** Messages due by nowMs, in delivery order. */
  due(nowMs: number): Array<{ to: string; envelope: PeerEnvelope }> {
    const ready = this.queue.filter((m) => m.deliverAtMs <= nowMs).sort((a, b) => a.deliverAtMs - b.deliverAtMs || a.order - b.order);
    this.queue = this.queue.filter((m) => m.deliverAtMs > nowMs);
    return ready;
  }

  cut(from: string, to: string): void {
    this.cuts.add(`${from}>${to}`);
  }

  heal(): void {
    this.cuts.clear();
  }

  isCut(from: string, to: string): boolean {
    return this.cuts.has(`${from}>${to}`);
  }

  /** A crashed node's sockets die with it. */
  dropTo(node: string): void {
    this.queue = this.queue.filter((m) => m.to !== node && m.envelope.from !== node);
  }
}
