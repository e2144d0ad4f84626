/** The only place the runtime reads the wall clock: everything else gets time passed in. */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };
