/** Time for timeouts only (partials are scheduled on audio time). Milliseconds, monotonic. */
export interface Clock {
  now(): number;
}

/** The process's monotonic clock. */
export function systemClock(): Clock {
  return { now: () => performance.now() };
}

/** A clock that moves only when told to: for tests of timeouts without waiting. */
export class ManualClock implements Clock {
  #nowMs: number;

  constructor(startMs = 0) {
    this.#nowMs = startMs;
  }

  now(): number {
    return this.#nowMs;
  }

  advance(ms: number): void {
    this.#nowMs += ms;
  }
}
