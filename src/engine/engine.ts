/**
 * The discrete-event engine: a virtual clock, an event heap and three primitives (schedule, step, run).
 * Events are typed records (target, kind, arg), not closures: a component registers once as a target and
 * receives `onEvent(kind, arg)` for each of its events. Events at one instant run by priority class, then
 * in the order they were scheduled (heap.ts states the classes and why).
 *
 * Throws on a negative or NaN delay and on scheduling into the past: those are bugs, not input errors.
 *
 * The lane: one event may be held in a slot beside the heap instead of in it (scheduleLaneAt), for a
 * stream that always has exactly one event pending, such as the next arrival. It takes its order key
 * (class CLASS_NORMAL) from the heap's counter and is compared with the heap's top on every step, so it runs exactly when it
 * would have run from the heap, but the stream costs no heap push or pop (half the heap work of a
 * simple-latency simulation).
 *
 * Sorted streams (sorted-stream.ts): rings beside the heap for events scheduled in time order (timeouts a
 * constant delay after now), whose heads are compared the same way; an engine without them steps as before.
 */
import type { Clock } from './clock.js';
import { CLASS_NORMAL, EventHeap } from './heap.js';
import { SortedStream } from './sorted-stream.js';

/** Where stepWithStreams found the earliest event (a stream by its index, >= 0). */
const SRC_NONE = -3;
const SRC_HEAP = -2;
const SRC_LANE = -1;

export interface EventTarget {
  onEvent(kind: number, arg: number): void;
}

export class Engine implements Clock {
  private readonly heap = new EventHeap();
  private readonly targets: EventTarget[] = [];
  private t = 0;
  private processed = 0;
  private stopped = false;
  /** The lane's event (laneTarget -1 when the lane is empty; laneTime is then Infinity). */
  private laneTime = Number.POSITIVE_INFINITY;
  private laneKey = 0;
  private laneTarget = -1;
  private laneKind = 0;
  private laneArg = 0;
  /** Sorted streams by handle (see stream()), and the handles of delayStream() by delay. */
  private readonly streams: SortedStream[] = [];
  private readonly byDelay = new Map<number, number>();

  now(): number {
    return this.t;
  }

  /** Events run so far. */
  get eventsProcessed(): number {
    return this.processed;
  }

  get pending(): number {
    let held = 0;
    for (const st of this.streams) held += st.size;
    return this.heap.size + (this.laneTarget >= 0 ? 1 : 0) + held;
  }

  /** Register a component; the returned id is its handle for schedule(). */
  register(target: EventTarget): number {
    this.targets.push(target);
    return this.targets.length - 1;
  }

  /** Run target's onEvent(kind, arg) after `delay_ms` of virtual time, in priority class `cls`. */
  schedule(delay_ms: number, target: number, kind: number, arg = 0, cls = CLASS_NORMAL): void {
    if (!(delay_ms >= 0)) throw new RangeError(`Engine.schedule: delay must be >= 0 ms, got ${delay_ms}`);
    this.heap.push(this.t + delay_ms, target, kind, arg, cls);
  }

  /** Run target's onEvent(kind, arg) at absolute virtual time `at_ms` (not before now), in class `cls`. */
  scheduleAt(at_ms: number, target: number, kind: number, arg = 0, cls = CLASS_NORMAL): void {
    if (!(at_ms >= this.t))
      throw new RangeError(`Engine.scheduleAt: ${at_ms} ms is before now (${this.t} ms)`);
    this.heap.push(at_ms, target, kind, arg, cls);
  }

  /**
   * Like scheduleAt, for the one pending event of a stream (the next arrival): it is held in the lane
   * beside the heap and runs exactly when scheduleAt's event would have. Throws when the lane already
   * holds an event (one stream per engine) or `at_ms` is before now.
   */
  scheduleLaneAt(at_ms: number, target: number, kind: number, arg = 0): void {
    if (!(at_ms >= this.t))
      throw new RangeError(`Engine.scheduleLaneAt: ${at_ms} ms is before now (${this.t} ms)`);
    if (this.laneTarget >= 0) throw new Error('Engine.scheduleLaneAt: the lane already holds an event');
    this.laneTime = at_ms;
    this.laneKey = this.heap.reserveKey(CLASS_NORMAL);
    this.laneTarget = target;
    this.laneKind = kind;
    this.laneArg = arg;
  }

  /**
   * A sorted stream (sorted-stream.ts) for events mostly scheduled in time order, such as timeouts a
   * constant delay after now; returns its handle for scheduleInStream.
   */
  stream(): number {
    this.streams.push(new SortedStream(this.heap));
    return this.streams.length - 1;
  }

  /**
   * The sorted stream for events scheduled a constant `delay_ms` after now, shared by every caller that
   * asks for the same delay (their events are in time order together): one stream for all the models of
   * a run that delay their requests alike. Returns its handle for scheduleInStream.
   */
  delayStream(delay_ms: number): number {
    let h = this.byDelay.get(delay_ms);
    if (h === undefined) {
      h = this.stream();
      this.byDelay.set(delay_ms, h);
    }
    return h;
  }

  /**
   * Like scheduleAt (class CLASS_NORMAL), through sorted stream `stream`: the event runs exactly when
   * scheduleAt's would have. Throws when `at_ms` is before now.
   */
  scheduleInStream(stream: number, at_ms: number, target: number, kind: number, arg = 0): void {
    if (!(at_ms >= this.t))
      throw new RangeError(`Engine.scheduleInStream: ${at_ms} ms is before now (${this.t} ms)`);
    this.streams[stream].scheduleAt(at_ms, target, kind, arg);
  }

  /** Time of the earliest pending event (Infinity when none): a real-time loop sleeps until it. */
  peekTime(): number {
    let t = Math.min(this.laneTime, this.heap.peekTime());
    for (const st of this.streams) t = Math.min(t, st.headTime());
    return t;
  }

  /** Run the earliest event; false when none is left. */
  step(): boolean {
    return this.stepUntil(Number.POSITIVE_INFINITY);
  }

  /** Run the earliest event if there is one at or before `until`; false otherwise. */
  private stepUntil(until: number): boolean {
    if (this.streams.length > 0) return this.stepWithStreams(until);
    const h = this.heap;
    const lt = this.laneTime;
    if (this.laneTarget >= 0) {
      const n = h.size;
      const ht = h.peekTime();
      if (n === 0 || lt < ht || (lt === ht && this.laneKey < h.peekKey())) {
        if (lt > until) return false;
        const target = this.laneTarget;
        this.laneTarget = -1;
        this.laneTime = Number.POSITIVE_INFINITY;
        this.t = lt;
        this.processed++;
        this.targets[target].onEvent(this.laneKind, this.laneArg);
        return true;
      }
    }
    if (h.size === 0 || h.peekTime() > until) return false;
    h.pop();
    this.t = h.poppedTime;
    this.processed++;
    this.targets[h.poppedTarget].onEvent(h.poppedKind, h.poppedArg);
    return true;
  }

  /** stepUntil with sorted streams: the earliest of the heap's top, the lane and each stream's head. */
  private stepWithStreams(until: number): boolean {
    const h = this.heap;
    let bestT = h.peekTime();
    let bestK = h.peekKey();
    let src = h.size > 0 ? SRC_HEAP : SRC_NONE;
    if (this.laneTarget >= 0) {
      const lt = this.laneTime;
      if (src === SRC_NONE || lt < bestT || (lt === bestT && this.laneKey < bestK)) {
        bestT = lt;
        bestK = this.laneKey;
        src = SRC_LANE;
      }
    }
    const streams = this.streams;
    for (let s = 0; s < streams.length; s++) {
      const st = streams[s];
      if (st.size === 0) continue;
      const t = st.headTime();
      const k = st.headKey();
      if (src === SRC_NONE || t < bestT || (t === bestT && k < bestK)) {
        bestT = t;
        bestK = k;
        src = s;
      }
    }
    if (src === SRC_NONE || bestT > until) return false;
    this.t = bestT;
    this.processed++;
    if (src === SRC_HEAP) {
      h.pop();
      this.targets[h.poppedTarget].onEvent(h.poppedKind, h.poppedArg);
    } else if (src === SRC_LANE) {
      const target = this.laneTarget;
      this.laneTarget = -1;
      this.laneTime = Number.POSITIVE_INFINITY;
      this.targets[target].onEvent(this.laneKind, this.laneArg);
    } else {
      const st = streams[src];
      st.shift();
      this.targets[st.shiftedTarget].onEvent(st.shiftedKind, st.shiftedArg);
    }
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
    const start = this.processed;
    this.stopped = false;
    while (!this.stopped && this.stepUntil(until)) {}
    if (!this.stopped && Number.isFinite(until) && until > this.t) this.t = until;
    return this.processed - start;
  }
}
