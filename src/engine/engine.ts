/**
 * The discrete-event engine: a virtual clock, an event heap and three primitives (schedule, step, run).
 * Events are typed records (target, kind, arg), not closures: a component registers once as a target and
 * receives `onEvent(kind, arg)` for each of its events. Ties in time run in the order they were scheduled.
 *
 * Throws on a negative or NaN delay and on scheduling into the past: those are bugs, not input errors.
 */
import type { Clock } from './clock.js';
import { EventHeap } from './heap.js';

export interface EventTarget {
  onEvent(kind: number, arg: number): void;
}

/** Optional pacing: a live replay waits until real time catches up with an event before running it. */
export interface Pacer {
  /** Resolve when the wall clock reaches virtual time `t_ms`. */
  waitUntil(t_ms: number): Promise<void>;
}

export class Engine implements Clock {
  private readonly heap = new EventHeap();
  private readonly targets: EventTarget[] = [];
  private t = 0;
  private processed = 0;
  private stopped = false;

  now(): number {
    return this.t;
  }

  /** Events run so far. */
  get eventsProcessed(): number {
    return this.processed;
  }

  get pending(): number {
    return this.heap.size;
  }

  /** Register a component; the returned id is its handle for schedule(). */
  register(target: EventTarget): number {
    this.targets.push(target);
    return this.targets.length - 1;
  }

  /** Run target's onEvent(kind, arg) after `delay_ms` of virtual time. */
  schedule(delay_ms: number, target: number, kind: number, arg = 0): void {
    if (!(delay_ms >= 0)) throw new RangeError(`Engine.schedule: delay must be >= 0 ms, got ${delay_ms}`);
    this.heap.push(this.t + delay_ms, target, kind, arg);
  }

  /** Run target's onEvent(kind, arg) at absolute virtual time `at_ms` (not before now). */
  scheduleAt(at_ms: number, target: number, kind: number, arg = 0): void {
    if (!(at_ms >= this.t))
      throw new RangeError(`Engine.scheduleAt: ${at_ms} ms is before now (${this.t} ms)`);
    this.heap.push(at_ms, target, kind, arg);
  }

  /** Run the earliest event; false when none is left. */
  step(): boolean {
    const h = this.heap;
    if (!h.pop()) return false;
    this.t = h.poppedTime;
    this.processed++;
    this.targets[h.poppedTarget].onEvent(h.poppedKind, h.poppedArg);
    return true;
  }

  /** Stop run() after the event in progress. */
  stop(): void {
    this.stopped = true;
  }

  /**
   * Run events with time <= until (default: until none is left). The clock ends at `until` when given
   * and finite, or at the last event's time. Returns the number of events run.
   */
  run(opts: { until?: number } = {}): number {
    const until = opts.until ?? Number.POSITIVE_INFINITY;
    const h = this.heap;
    const start = this.processed;
    this.stopped = false;
    while (!this.stopped && h.size > 0 && h.peekTime() <= until) this.step();
    if (!this.stopped && Number.isFinite(until) && until > this.t) this.t = until;
    return this.processed - start;
  }

  /** Like run(), but paced: each event waits for `pacer` before it runs (live replay). */
  async runPaced(pacer: Pacer, opts: { until?: number } = {}): Promise<number> {
    const until = opts.until ?? Number.POSITIVE_INFINITY;
    const h = this.heap;
    const start = this.processed;
    this.stopped = false;
    while (!this.stopped) {
      const next = h.peekTime();
      if (next > until) break;
      if (h.size === 0) {
        // Live backends may still report; wait a tick for them to schedule more.
        await pacer.waitUntil(this.t);
        if (h.size === 0) break;
        continue;
      }
      await pacer.waitUntil(next);
      this.step();
    }
    if (!this.stopped && Number.isFinite(until) && until > this.t) this.t = until;
    return this.processed - start;
  }
}
