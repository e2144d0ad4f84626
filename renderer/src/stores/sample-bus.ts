import type { Sample } from '../../../shared/protocol/entities.js';

/**
 * Every live sample, for views that need the whole series rather than the latest value (trends).
 * The stores keep only the latest value per tag; listeners filter for the tags they draw.
 */
export type SampleListener = (samples: readonly Sample[]) => void;

const listeners = new Set<SampleListener>();

export function subscribeSamples(listener: SampleListener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function publishSamples(samples: readonly Sample[]): void {
  for (const listener of listeners) listener(samples);
}
