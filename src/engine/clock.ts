/** A source of time in milliseconds. The simulator gives virtual time; a live service gives real time. */
export interface Clock {
  now(): number;
}

/** A clock whose time is set by its owner (tests, the simulation loop). */
export class ManualClock implements Clock {
  constructor(public t = 0) {}
  now(): number {
    return this.t;
  }
  advance(ms: number): void {
    if (!(ms >= 0)) throw new RangeError(`ManualClock.advance: delay must be >= 0, got ${ms}`);
    this.t += ms;
  }
}
