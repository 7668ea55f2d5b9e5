/**
 * A min-heap of events keyed on (time, sequence), allocation-free once its arrays have grown. Ties in time
 * pop in insertion order, which is what makes runs deterministic.
 *
 * Layout, for speed on the simulation's hot path: a 4-ary heap (half the levels of a binary one) whose
 * positions hold only the time and an entry index, side by side, so sifting moves two numbers per level;
 * an entry's sequence number and payload (target, kind, arg) stay put in per-entry arrays until it is
 * popped, and freed entries are reused from a stack.
 */
import { grown } from './grow.js';

export class EventHeap {
  /** By heap position: the event's time, and its entry. */
  private time: Float64Array;
  private ent: Int32Array;
  /** By entry: sequence number and payload. */
  private seq: Float64Array;
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
    this.seq = new Float64Array(cap);
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

  /** Sequence number of the earliest event; Infinity when empty. */
  peekSeq(): number {
    return this.n > 0 ? this.seq[this.ent[0]] : Number.POSITIVE_INFINITY;
  }

  /**
   * Take the sequence number the next push would get, for an event kept outside the heap (the engine's
   * lane) that must still order against heap events exactly as if it had been pushed.
   */
  reserveSeq(): number {
    return this.nextSeq++;
  }

  push(time: number, target: number, kind: number, arg: number): void {
    if (this.nFree === 0) this.grow();
    const e = this.free[--this.nFree];
    const s = this.nextSeq++;
    this.seq[e] = s;
    this.target[e] = target;
    this.kind[e] = kind;
    this.arg[e] = arg;
    const tm = this.time;
    const en = this.ent;
    let i = this.n++;
    // Sift up: move parents down until the slot for (time, s) is found (s is the largest sequence yet,
    // so an equal time never moves above its parent).
    while (i > 0) {
      const p = (i - 1) >> 2;
      const pt = tm[p];
      if (pt <= time) break;
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
    const sq = this.seq;
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
    const s = sq[e];
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
        if (jt < mt || (jt === mt && sq[en[j]] < sq[en[m]])) {
          m = j;
          mt = jt;
        }
      }
      if (t < mt || (t === mt && s < sq[en[m]])) break;
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
    this.seq = grown(this.seq, cap);
    this.target = grown(this.target, cap);
    this.kind = grown(this.kind, cap);
    this.arg = grown(this.arg, cap);
    const free = new Int32Array(cap);
    for (let i = 0; i < cap - old; i++) free[i] = cap - 1 - i;
    this.free = free;
    this.nFree = cap - old;
  }
}
