/**
 * A min-heap of events keyed on (time, priority class, sequence), allocation-free once its arrays have
 * grown. At one instant a lower class pops first; within a class, events pop in insertion order. That rule,
 * and nothing about who scheduled first, is what makes same-instant order deterministic.
 *
 * Layout, for speed on the simulation's hot path: a 4-ary heap (half the levels of a binary one) whose
 * positions hold only the time and an entry index, side by side, so sifting moves two numbers per level;
 * an entry's order key (class and sequence packed in one double) and payload (target, kind, arg) stay put
 * in per-entry arrays until it is popped, and freed entries are reused from a stack.
 */
import { grown } from './grow.js';

/**
 * Priority classes, in the order they run at one instant:
 * - CLASS_CHANGE: changes to the simulated world (the scenario timeline). A change "at t" is the world's
 *   state from t on, so every other event at t (an arrival, a probe, a sample closing the bucket that ends
 *   at t) must already see it.
 * - CLASS_NORMAL: everything else (arrivals, completions, retries, probes, samples), in scheduling order.
 *   That order is causal (an event scheduled earlier was caused earlier), and ordering these kinds against
 *   each other by class instead would move numbers in the shipped reports for no modelling gain.
 */
export const CLASS_CHANGE = 0;
export const CLASS_NORMAL = 1;

/** Sequence numbers per class: the class is packed above them in one exactly representable double. */
const CLASS_STRIDE = 2 ** 48;

/** The order key of sequence number `seq` in class `cls`: smaller keys pop first at one instant. */
export function orderKey(cls: number, seq: number): number {
  return cls * CLASS_STRIDE + seq;
}

export class EventHeap {
  /** By heap position: the event's time, and its entry. */
  private time: Float64Array;
  private ent: Int32Array;
  /** By entry: order key (class and sequence) and payload. */
  private key: Float64Array;
  private target: Int32Array;
  private kind: Int32Array;
  private arg: Float64Array;
  /** Entries not in use, as a stack. */
  private free: Int32Array;
  private nFree: number;
  private n = 0;
  private nextSeq = 0;

  constructor(capacity = 1024) {
    const cap = Math.max(4, capacity);
    this.time = new Float64Array(cap);
    this.ent = new Int32Array(cap);
    this.key = new Float64Array(cap);
    this.target = new Int32Array(cap);
    this.kind = new Int32Array(cap);
    this.arg = new Float64Array(cap);
    this.free = new Int32Array(cap);
    for (let i = 0; i < cap; i++) this.free[i] = cap - 1 - i;
    this.nFree = cap;
  }

  get size(): number {
    return this.n;
  }

  /** Time of the earliest event; Infinity when empty. */
  peekTime(): number {
    return this.n > 0 ? this.time[0] : Number.POSITIVE_INFINITY;
  }

  /** Order key of the earliest event (see orderKey); Infinity when empty. */
  peekKey(): number {
    return this.n > 0 ? this.key[this.ent[0]] : Number.POSITIVE_INFINITY;
  }

  /**
   * Take the order key a push in class `cls` would get now, for an event kept outside the heap (the
   * engine's lane) that must still order against heap events exactly as if it had been pushed.
   */
  reserveKey(cls: number): number {
    return orderKey(cls, this.nextSeq++);
  }

  /** Add an event at `time` in priority class `cls` (CLASS_CHANGE or CLASS_NORMAL). */
  push(time: number, target: number, kind: number, arg: number, cls: number = CLASS_NORMAL): void {
    if (this.nFree === 0) this.grow();
    const e = this.free[--this.nFree];
    const k = orderKey(cls, this.nextSeq++);
    const ky = this.key;
    ky[e] = k;
    this.target[e] = target;
    this.kind[e] = kind;
    this.arg[e] = arg;
    const tm = this.time;
    const en = this.ent;
    let i = this.n++;
    // Sift up: move parents down until the slot for (time, k) is found (an equal time moves above its
    // parent only from a lower class: k's sequence is the largest yet).
    while (i > 0) {
      const p = (i - 1) >> 2;
      const pt = tm[p];
      if (pt < time || (pt === time && ky[en[p]] < k)) break;
      tm[i] = pt;
      en[i] = en[p];
      i = p;
    }
    tm[i] = time;
    en[i] = e;
  }

  /** Last popped event's fields (valid until the next pop). */
  poppedTime = 0;
  poppedTarget = 0;
  poppedKind = 0;
  poppedArg = 0;

  /** Remove the earliest event into popped*; returns false when empty. */
  pop(): boolean {
    if (this.n === 0) return false;
    const tm = this.time;
    const en = this.ent;
    const ky = this.key;
    const top = en[0];
    this.poppedTime = tm[0];
    this.poppedTarget = this.target[top];
    this.poppedKind = this.kind[top];
    this.poppedArg = this.arg[top];
    this.free[this.nFree++] = top;
    const last = --this.n;
    if (last === 0) return true;
    const t = tm[last];
    const e = en[last];
    const k = ky[e];
    let i = 0;
    for (;;) {
      const c = 4 * i + 1;
      if (c >= last) break;
      // The earliest of up to four children.
      let m = c;
      let mt = tm[c];
      const end = Math.min(c + 4, last);
      for (let j = c + 1; j < end; j++) {
        const jt = tm[j];
        if (jt < mt || (jt === mt && ky[en[j]] < ky[en[m]])) {
          m = j;
          mt = jt;
        }
      }
      if (t < mt || (t === mt && k < ky[en[m]])) break;
      tm[i] = mt;
      en[i] = en[m];
      i = m;
    }
    tm[i] = t;
    en[i] = e;
    return true;
  }

  clear(): void {
    this.n = 0;
    const cap = this.free.length;
    for (let i = 0; i < cap; i++) this.free[i] = cap - 1 - i;
    this.nFree = cap;
  }

  /** Double every array; called only when all entries are in use (so the free stack is empty). */
  private grow(): void {
    const old = this.free.length;
    const cap = old * 2;
    this.time = grown(this.time, cap);
    this.ent = grown(this.ent, cap);
    this.key = grown(this.key, cap);
    this.target = grown(this.target, cap);
    this.kind = grown(this.kind, cap);
    this.arg = grown(this.arg, cap);
    const free = new Int32Array(cap);
    for (let i = 0; i < cap - old; i++) free[i] = cap - 1 - i;
    this.free = free;
    this.nFree = cap - old;
  }
}
