/**
 * The drill score of every fault event (report.json `drills`), from what the run recorded: the requests by
 * arrival bucket (metrics/drill-series.ts), the timeline's routed and arrival series, and the health
 * the router showed. Every figure is at the timeline's bucket resolution (`timeline.interval_ms`), except
 * the detection delay, which is exact. The definitions (the README's "Drills" section says the same):
 *
 * - window: DRILL_WINDOW_MS of arrivals, in whole buckets (k = ceil(window / interval)); a window counts
 *   only when it lies inside the run's full buckets and some request that arrived in it finished.
 * - baseline: the requests that finished in the BASELINE_MS before the fault's bucket (so none of them
 *   met the fault: one that arrived just before a hang is slowed by it): their error rate (failed +
 *   rejected over finished) and p99 end-to-end latency (of the completed ones).
 * - a window is within tolerance when its error rate is at most the baseline's + ERROR_TOLERANCE and its
 *   p99 at most P99_TOLERANCE × the baseline's (no p99 bound without a baseline).
 * - recovered_after_s: from the fault to the start of the first window within tolerance after which every
 *   window up to the end of the fault is within tolerance too; null if there is none. A fault ends with
 *   the model's next event of the same kind (a `health: unhealthy` its repair), never without one.
 * - detected_after_s: from the fault to the first moment the router showed the model unhealthy (a probe or
 *   an ejection; 0 when it already did); null if it never did.
 * - the drill lasts from the fault's bucket to the end of the recovery window or of the fault, whichever
 *   is later (the end of the run when it never recovered): lost_requests are the requests that failed or were rejected in it (by when they
 *   finished), retry_amplification its attempts routed per request arrived, max_share the largest share
 *   of its attempts that one other model took.
 * - cache_hit_rate (the share of prompt tokens served from cache, over every model's ok attempts, by when
 *   they were sent: the share of lookups with any hit is ~1 whenever prompts share a first block) and p99_e2e_ms: before = the baseline; min = the lowest
 *   window during the drill; during = the drill's arrivals up to the recovery (one window at least);
 *   after = the window that starts when both the recovery and the fault are over (null when the run ends
 *   first or it never recovered).
 */
import type { Histogram } from '../metrics/histogram.js';
import type { RunResult } from '../run/result.js';
import { faultOf } from '../scenario/events/index.js';
import type { Drill } from './types.js';

/** Width of the sliding window (ms of arrivals). */
export const DRILL_WINDOW_MS = 10_000;
/** Span of the pre-fault baseline (ms of arrivals). */
export const BASELINE_MS = 30_000;
/** Error rate a recovered window may exceed the baseline's by (absolute). */
export const ERROR_TOLERANCE = 0.01;
/** Factor a recovered window's p99 end-to-end latency may exceed the baseline's by. */
export const P99_TOLERANCE = 1.25;

interface WindowStats {
  finished: number;
  err: number | null;
  p99: number | null;
}

const sum = (xs: readonly number[], from: number, to: number): number => {
  let s = 0;
  for (let b = Math.max(0, from); b < Math.min(to, xs.length); b++) s += xs[b];
  return s;
};

/** The drill of every fault event, in timeline order; null when the run has none (or recorded none). */
export function buildDrills(x: RunResult): Drill[] | null {
  const m = x.metrics;
  const d = m.drills;
  const events = x.scenario.events;
  const faults = events.flatMap((ev, j) => {
    const f = faultOf(ev);
    if (f === null) return [];
    // As the run recorded it (to the last restart plus its warm-up, or the end of a hang or of stale
    // metrics; null: it lasted to the end), else to the model's next event of the same kind.
    const r = x.faults.find((c) => c.kind === f.name && c.model === f.model && c.at_ms === ev.at_ms);
    const span_ms =
      r === undefined
        ? faultSpan(events, j)
        : r.end_ms === null
          ? Number.POSITIVE_INFINITY
          : r.end_ms + r.warmup_ms - ev.at_ms;
    return [{ ...f, at_ms: ev.at_ms, span_ms }];
  });
  if (d === null || faults.length === 0) return null;
  const iv = m.interval_ms;
  const k = Math.max(1, Math.ceil(DRILL_WINDOW_MS / iv));
  const kb = Math.max(1, Math.ceil(BASELINE_MS / iv));
  const full = Math.floor(x.end_ms / iv);
  const n = Math.max(full + 1, d.badByFinish.length, ...m.models.map((mm) => mm.routedSeries.length));
  const finished = d.finishedByArrival.toArray(n);
  const bad = d.badByArrival.toArray(n);
  const badDone = d.badByFinish.toArray(n);
  const arrivals = m.arrivals.toArray(n);
  const routed = m.models.map((mm) => mm.routedSeries.toArray(n));
  const prompt = d.promptTokens.toArray(n);
  const cachedTokens = d.cachedTokens.toArray(n);
  const p99 = (h: Histogram): number | null => (h.count > 0 ? h.quantile(0.99) : null);
  const finishedDone = d.finishedByFinish.toArray(n);
  /** The requests that finished in buckets [from, to): what the baseline is. */
  const finishedStats = (from: number, to: number): WindowStats => {
    const f = sum(finishedDone, from, to);
    return {
      finished: f,
      err: f > 0 ? sum(badDone, from, to) / f : null,
      p99: p99(d.e2eByFinish.over(from, to)),
    };
  };
  const stats = (from: number, to: number): WindowStats => {
    const f = sum(finished, from, to);
    return {
      finished: f,
      err: f > 0 ? sum(bad, from, to) / f : null,
      p99: p99(d.e2eByArrival.over(from, to)),
    };
  };
  // Without a cache anywhere every lookup misses: say nothing rather than 0.
  const cached = x.backends.some((b) => b.cache_lookups > 0);
  const hitRate = (from: number, to: number): number | null => {
    const l = cached ? sum(prompt, from, to) : 0;
    return l > 0 ? sum(cachedTokens, from, to) / l : null;
  };
  /** Last start of a window that fits the run's full buckets. */
  const lastStart = full - k;
  // The windows' figures do not depend on the drill: computed once each, on demand.
  const windows = new Map<number, WindowStats>();
  const windowAt = (u: number): WindowStats => {
    let w = windows.get(u);
    if (w === undefined) {
      w = stats(u, u + k);
      windows.set(u, w);
    }
    return w;
  };

  return faults.map((f): Drill => {
    const i = m.modelIds.indexOf(f.model);
    const fb = Math.floor(f.at_ms / iv);
    const base = finishedStats(fb - kb, fb);
    const errTol = (base.err ?? 0) + ERROR_TOLERANCE;
    const p99Tol = base.p99 === null ? Number.POSITIVE_INFINITY : base.p99 * P99_TOLERANCE;
    const clean = (s: number): boolean => {
      const w = windowAt(s);
      return w.finished > 0 && w.err !== null && w.err <= errTol && (w.p99 === null || w.p99 <= p99Tol);
    };
    const faultEnd = f.at_ms + f.span_ms;
    const endB = Math.max(fb, Math.min(Math.ceil(faultEnd / iv), lastStart));
    // The recovery: past the last dirty window up to the fault's end, then the first clean one.
    let s = fb;
    for (let u = fb; u <= endB && u <= lastStart; u++) if (!clean(u)) s = u + 1;
    while (s <= lastStart && !clean(s)) s++;
    const recovered = s <= lastStart && fb <= lastStart ? s : null;
    // The drill: to the end of the recovery window, and at least to the end of the fault.
    const drillEnd = recovered === null ? n : Math.max(recovered + k, Math.min(n, Math.ceil(faultEnd / iv)));
    const attempts = routed.reduce((a, r) => a + sum(r, fb, drillEnd), 0);
    const arrived = sum(arrivals, fb, drillEnd);
    let maxShare: number | null = null;
    if (attempts > 0) {
      routed.forEach((r, j) => {
        if (j !== i) maxShare = Math.max(maxShare ?? 0, sum(r, fb, drillEnd) / attempts);
      });
    }
    let minHit: number | null = null;
    for (let u = fb; u <= Math.max(fb, drillEnd - k); u++) {
      const h = hitRate(u, u + k);
      if (h !== null && (minHit === null || h < minHit)) minHit = h;
    }
    const afterStart =
      recovered === null
        ? null
        : Math.max(recovered, Number.isFinite(faultEnd) ? Math.ceil(faultEnd / iv) : n);
    const after = afterStart !== null && afterStart + k <= full ? afterStart : null;
    return {
      event: f.name,
      model: f.model,
      at_s: f.at_ms / 1000,
      detected_after_s: detection(d.shown[i] ?? [], f.at_ms),
      recovered_after_s: recovered === null ? null : Math.max(0, recovered * iv - f.at_ms) / 1000,
      lost_requests: sum(badDone, fb, drillEnd),
      retry_amplification: arrived > 0 ? attempts / arrived : null,
      max_share: maxShare,
      cache_hit_rate: {
        before: hitRate(fb - kb, fb),
        min: minHit,
        after: after === null ? null : hitRate(after, after + k),
      },
      p99_e2e_ms: {
        before: base.p99,
        during: stats(fb, Math.max(fb + k, recovered ?? n)).p99,
        after: after === null ? null : stats(after, after + k).p99,
      },
    };
  });
}

/**
 * How long the fault started by events[j] lasts: to the model's next event of the same kind (a health
 * change's repair); Infinity when there is none.
 */
function faultSpan(events: RunResult['scenario']['events'], j: number): number {
  const ev = events[j];
  const model = (ev as { model?: string }).model;
  for (let k = j + 1; k < events.length; k++) {
    const e = events[k];
    if (e.kind === ev.kind && (e as { model?: string }).model === model) return e.at_ms - ev.at_ms;
  }
  return Number.POSITIVE_INFINITY;
}

/** Seconds from `at` to the router first showing the model unhealthy (0: it already did), or null. */
function detection(shown: readonly { at_ms: number; health: string }[], at: number): number | null {
  let before = 'healthy';
  for (const c of shown) {
    if (c.at_ms < at) {
      before = c.health;
      continue;
    }
    if (before === 'unhealthy') return 0;
    if (c.health === 'unhealthy') return (c.at_ms - at) / 1000;
  }
  return before === 'unhealthy' ? 0 : null;
}
