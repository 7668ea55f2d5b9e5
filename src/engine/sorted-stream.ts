/**
 * A stream of events scheduled in time order, such as timeouts a constant delay after now: a ring beside
 * the event heap, whose earliest event the engine compares with the heap's top on every step (as it does
 * the lane's). Thousands of pending timeouts (30 s of them at 150 requests/s) then cost a ring write and
 * read each, instead of a push and a pop through a heap thousands deep.
 *
 * Each event takes its order key (class CLASS_NORMAL) from the heap's counter when it is scheduled, so it
 * runs exactly when the same scheduleAt event would have. An event earlier than the stream's last goes
 * into the heap itself (the order is the same; only the saving is lost).
 */
import { grown } from './grow.js';
import { CLASS_NORMAL, type EventHeap } from './heap.js';

export class SortedStream {
  private time = new Float64Array(64);
  private key = new Float64Array(64);
  private target = new Int32Array(64);
  private kind = new Int32Array(64);
  private arg = new Float64Array(64);
  /** Ring position of the earliest event, and the number held. */
  private head = 0;
  private n = 0;
  /** The last shifted event's fields (valid until the next shift). */
  shiftedTarget = 0;
  shiftedKind = 0;
  shiftedArg = 0;

  constructor(private readonly heap: EventHeap) {}

  /** Events held (scheduled and not yet run). */
  get size(): number {
    return this.n;
  }

  /** Time of the earliest event; Infinity when empty. */
  headTime(): number {
    return this.n > 0 ? this.time[this.head] : Number.POSITIVE_INFINITY;
  }

  /** Order key of the earliest event; Infinity when empty. */
  headKey(): number {
    return this.n > 0 ? this.key[this.head] : Number.POSITIVE_INFINITY;
  }

  /** Schedule target's onEvent(kind, arg) at `at_ms` (the engine checked that it is not before now). */
  scheduleAt(at_ms: number, target: number, kind: number, arg: number): void {
    const n = this.n;
    if (n > 0 && at_ms < this.time[(this.head + n - 1) & (this.time.length - 1)]) {
      this.heap.push(at_ms, target, kind, arg, CLASS_NORMAL);
      return;
    }
    if (n === this.time.length) this.grow();
    const j = (this.head + n) & (this.time.length - 1);
    this.time[j] = at_ms;
    this.key[j] = this.heap.reserveKey(CLASS_NORMAL);
    this.target[j] = target;
    this.kind[j] = kind;
    this.arg[j] = arg;
    this.n = n + 1;
  }

  /** Remove the earliest event into shifted* (the stream must not be empty). */
  shift(): void {
    const h = this.head;
    this.shiftedTarget = this.target[h];
    this.shiftedKind = this.kind[h];
    this.shiftedArg = this.arg[h];
    this.head = (h + 1) & (this.time.length - 1);
    this.n--;
  }

  /** Double the ring (called only when full), unrolled so that the earliest event is at position 0. */
  private grow(): void {
    const cap = this.time.length;
    const h = this.head;
    const unroll = <T extends Float64Array | Int32Array>(a: T): T => {
      const b = grown(a, 2 * cap);
      b.set(a.subarray(h));
      b.set(a.subarray(0, h), cap - h);
      return b;
    };
    this.time = unroll(this.time);
    this.key = unroll(this.key);
    this.target = unroll(this.target);
    this.kind = unroll(this.kind);
    this.arg = unroll(this.arg);
    this.head = 0;
  }
}
