/**
 * What a run with fault events records for its drill scores (report/drills.ts), beyond the timeline:
 * the prompt tokens looked up and served from cache by the bucket their attempt was submitted in,
 * the requests by the bucket they *arrived* in and by the bucket they *finished* in — how many finished,
 * how many of those failed or were rejected, and a histogram of the completed ones' end-to-end latency — and every change of the health the router showed for each model.
 * Counting by arrival is what lets a window see a hang: a request that arrived during it counts against
 * its window when it finally completes, however late. Only runs whose scenario has fault events build
 * one (RunMetrics.drills), so other runs pay nothing for it.
 */
import type { Health } from '../core/types.js';
import { Histogram } from './histogram.js';
import { CountSeries } from './series.js';
import type { Coarsenable, Timebase } from './timebase.js';

/** One change of the health the router showed for a model (the first entry is the health at t = 0). */
export interface ShownHealth {
  at_ms: number;
  health: Health;
}

/** One latency histogram per bucket (null: nothing recorded there); coarsening merges pairs exactly. */
export class HistogramSeries implements Coarsenable {
  private buckets: (Histogram | null)[] = [];
  constructor(private readonly tb: Timebase) {
    tb.register(this);
  }

  /** Record `v` in the bucket that holds time `t_ms`. */
  record(t_ms: number, v: number): void {
    const b = this.tb.bucketAt(t_ms);
    while (this.buckets.length <= b) this.buckets.push(null);
    let h = this.buckets[b];
    if (h === null) {
      h = new Histogram();
      this.buckets[b] = h;
    }
    h.record(v);
  }

  /** Buckets [from, to) merged into one histogram (empty when nothing was recorded there). */
  over(from: number, to: number): Histogram {
    const out = new Histogram();
    for (let b = Math.max(0, from); b < Math.min(to, this.buckets.length); b++) {
      const h = this.buckets[b];
      if (h !== null) out.merge(h);
    }
    return out;
  }

  halve(): void {
    const v = this.buckets;
    const n = Math.ceil(v.length / 2);
    const out: (Histogram | null)[] = [];
    for (let j = 0; j < n; j++) {
      const a = v[2 * j];
      const b = 2 * j + 1 < v.length ? v[2 * j + 1] : null;
      if (a !== null && b !== null) a.merge(b);
      out.push(a ?? b);
    }
    this.buckets = out;
  }
}

export class DrillSeries {
  /** Requests that finished (any way), by arrival bucket. */
  readonly finishedByArrival: CountSeries;
  /** Of those, the ones that failed or were rejected. */
  readonly badByArrival: CountSeries;
  /** End-to-end latency of the completed ones, by arrival bucket. */
  readonly e2eByArrival: HistogramSeries;
  /** Requests that finished, those of them that failed or were rejected, and the completed ones' e2e, by the bucket they finished in. */
  readonly finishedByFinish: CountSeries;
  readonly badByFinish: CountSeries;
  readonly e2eByFinish: HistogramSeries;
  /** Per model, the health the router showed, in time order from t = 0. */
  readonly shown: ShownHealth[][];
  /** Prompt tokens of ok attempts, and those served from cache, by submit bucket (every model). */
  readonly promptTokens: CountSeries;
  readonly cachedTokens: CountSeries;

  constructor(tb: Timebase, models: number) {
    this.finishedByArrival = new CountSeries(tb);
    this.badByArrival = new CountSeries(tb);
    this.e2eByArrival = new HistogramSeries(tb);
    this.finishedByFinish = new CountSeries(tb);
    this.badByFinish = new CountSeries(tb);
    this.e2eByFinish = new HistogramSeries(tb);
    this.shown = Array.from({ length: models }, () => []);
    this.promptTokens = new CountSeries(tb);
    this.cachedTokens = new CountSeries(tb);
  }

  cacheTokens(start: number, prompt: number, cached: number): void {
    this.promptTokens.add(start, prompt);
    if (cached > 0) this.cachedTokens.add(start, cached);
  }

  requestFinished(arrival: number, t: number, ok: boolean): void {
    this.finishedByArrival.add(arrival);
    this.finishedByFinish.add(t);
    if (ok) {
      this.e2eByArrival.record(arrival, t - arrival);
      this.e2eByFinish.record(t, t - arrival);
    } else {
      this.badByArrival.add(arrival);
      this.badByFinish.add(t);
    }
  }

  healthShown(i: number, t: number, h: Health): void {
    const s = this.shown[i];
    if (s.length > 0 && s[s.length - 1].health === h) return;
    s.push({ at_ms: t, health: h });
  }
}
