/**
 * Real-time pacing of the engine for a live replay, like SimPy's RealtimeEnvironment: virtual time =
 * (wall time since start) × speed. An event runs once the wall clock has reached it; the wait for the next
 * event is interruptible (wake()), so work that finishes outside the engine (a real model's completion)
 * is injected at the current virtual time without waiting for the next scheduled event: call catchUp(),
 * then act (schedule, report), then wake().
 *
 * This module reads the wall clock (it is its job); the engine it drives stays on virtual time. It never
 * runs an event late on purpose: when the process falls behind, due events run at once (virtual time then
 * lags the wall clock by the backlog, as SimPy's non-strict mode does).
 */
import type { Engine } from './engine.js';

export interface RealtimeOptions {
  /** Virtual ms per wall ms (default 1: real time; 2: twice as fast). Must be > 0. */
  speed?: number;
  /** Wall clock in ms (default performance.now). */
  wall?: () => number;
  /** Longest single sleep (wall ms) before the loop checks its stop condition again (default 100). */
  max_sleep_ms?: number;
}

export interface RealtimeRunOptions {
  /** Virtual time to stop at (default: never). */
  until?: number;
  /** Checked after each step and wake-up: true ends the loop (the run is finished, or given up). */
  stop: () => boolean;
}

export class RealtimeLoop {
  readonly speed: number;
  private readonly wall: () => number;
  private readonly maxSleep: number;
  private wall0 = Number.NaN;
  private wakeUp: (() => void) | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private woken = false;

  /** Throws RangeError on a speed that is not a finite number > 0. */
  constructor(
    private readonly engine: Engine,
    opts: RealtimeOptions = {},
  ) {
    const speed = opts.speed ?? 1;
    if (!(speed > 0) || !Number.isFinite(speed))
      throw new RangeError(`RealtimeLoop: speed must be a finite number > 0, got ${speed}`);
    this.speed = speed;
    this.wall = opts.wall ?? (() => performance.now());
    this.maxSleep = opts.max_sleep_ms ?? 100;
  }

  /** Virtual time that the wall clock says it is now (0 before run() started). */
  virtualNow(): number {
    if (Number.isNaN(this.wall0)) return 0;
    return this.engine.now() + Math.max(0, this.wallElapsedVirtual() - this.engine.now());
  }

  private wallElapsedVirtual(): number {
    return (this.wall() - this.wall0) * this.speed;
  }

  /**
   * Bring the engine up to the wall clock: run every event due by now, and set its clock to now. Call it
   * before injecting an outside completion, so the completion is stamped with the current virtual time.
   */
  catchUp(until = Number.POSITIVE_INFINITY): void {
    if (Number.isNaN(this.wall0)) return;
    const v = Math.min(this.wallElapsedVirtual(), until);
    if (v > this.engine.now()) this.engine.run({ until: v });
  }

  /** Interrupt the current wait (an outside completion arrived; what is due may have changed). */
  wake(): void {
    this.woken = true;
    const w = this.wakeUp;
    if (w !== null) {
      this.wakeUp = null;
      if (this.timer !== null) clearTimeout(this.timer);
      this.timer = null;
      w();
    }
  }

  /** Run the engine paced by the wall clock until `stop()` or virtual time `until`. Resolves when done. */
  async run(opts: RealtimeRunOptions): Promise<void> {
    const until = opts.until ?? Number.POSITIVE_INFINITY;
    if (Number.isNaN(this.wall0)) this.wall0 = this.wall() - this.engine.now() / this.speed;
    for (;;) {
      this.catchUp(until);
      if (opts.stop() || this.engine.now() >= until) return;
      const next = Math.min(this.engine.peekTime(), until);
      const waitWall = (next - this.wallElapsedVirtual()) / this.speed;
      if (waitWall > 0) await this.sleep(Math.min(waitWall, this.maxSleep));
      else if (next === this.engine.now()) {
        // Due now (scheduled at the current time by an injected completion): run it.
        this.engine.run({ until: next });
      }
    }
  }

  private sleep(ms: number): Promise<void> {
    if (this.woken) {
      this.woken = false;
      return Promise.resolve();
    }
    return new Promise<void>((resolve) => {
      this.wakeUp = () => {
        this.woken = false;
        resolve();
      };
      this.timer = setTimeout(() => {
        this.timer = null;
        this.wakeUp = null;
        resolve();
      }, ms);
    });
  }
}
