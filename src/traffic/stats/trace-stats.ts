/**
 * `trace stats`: one streaming pass over a source. Memory grows with the trace's span (one counter per
 * second) and largest token count, and with distinct prefix blocks, not with its rows.
 *
 * - span: last - first arrival; mean rate: rows / span (null for a span of 0: one row, or all at once).
 * - tokens: mean and p50/p90/p99 (linear interpolation) of prompt (input) and output tokens.
 * - busiest minute: the most arrivals in any minute [k min, k+1 min) from the first arrival, over the mean
 *   per minute (rows / span in minutes); null for a span under a minute, where the ratio means nothing.
 * - index of dispersion: variance / mean of arrivals per second, over every second of the span
 *   (1 for Poisson, > 1 bursty); null when the span covers fewer than 2 seconds.
 * - prefix reuse: share of all prefix block occurrences whose id appeared earlier in the trace.
 */
import { ExtentTracker } from '../ops/measure.js';
import type { RequestSource } from '../source.js';
import { IntCounts } from './counts.js';

interface TokenStats {
  mean: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

export interface TraceStats {
  rows: number;
  skipped: number;
  span_s: number;
  mean_rate_per_s: number | null;
  input_tokens: TokenStats;
  output_tokens: TokenStats;
  burstiness: {
    busiest_minute_ratio: number | null;
    busiest_minute_requests: number;
    dispersion_per_second: number | null;
  };
  /** Null when no record carries prefix blocks. */
  prefix: { blocks: number; repeated: number; reuse_share: number; distinct: number } | null;
  sessions: number;
}

/** Consumes and closes `src`. */
export function traceStats(src: RequestSource): TraceStats {
  const input = new IntCounts();
  const output = new IntCounts();
  let perSecond: Float64Array = new Float64Array(4096);
  let perMinute: Float64Array = new Float64Array(256);
  const seen = new Set<number>();
  const sessions = new Set<string>();
  let blocks = 0;
  let repeated = 0;
  let withBlocks = false;
  const extent = new ExtentTracker();
  for (let r = src.next(); r !== null; r = src.next()) {
    extent.add(r.t_ms);
    input.add(r.prompt_tokens);
    output.add(r.output_tokens);
    const rel = r.t_ms - extent.first_ms;
    const s = Math.floor(rel / 1000);
    const m = Math.floor(rel / 60_000);
    if (s >= perSecond.length) perSecond = grow(perSecond, s);
    if (m >= perMinute.length) perMinute = grow(perMinute, m);
    perSecond[s]++;
    perMinute[m]++;
    if (r.session_id !== undefined) sessions.add(r.session_id);
    const pb = r.prefix_blocks;
    if (pb) {
      withBlocks = true;
      for (let i = 0; i < pb.length; i++) {
        blocks++;
        if (seen.has(pb[i])) repeated++;
        else seen.add(pb[i]);
      }
    }
  }
  const skipped = src.skipped ?? 0;
  src.close?.();
  const { rows, span_ms: spanMs } = extent.extent();
  const seconds = Math.floor(spanMs / 1000) + 1;
  let mean = 0;
  for (let i = 0; i < seconds; i++) mean += perSecond[i];
  mean /= seconds;
  let variance = 0;
  for (let i = 0; i < seconds; i++) variance += (perSecond[i] - mean) ** 2;
  variance /= seconds;
  let busiest = 0;
  for (let i = 0; i < perMinute.length; i++) if (perMinute[i] > busiest) busiest = perMinute[i];
  return {
    rows,
    skipped,
    span_s: spanMs / 1000,
    mean_rate_per_s: rows > 0 && spanMs > 0 ? rows / (spanMs / 1000) : null,
    input_tokens: tokenStats(input),
    output_tokens: tokenStats(output),
    burstiness: {
      busiest_minute_ratio: rows > 0 && spanMs >= 60_000 ? busiest / (rows / (spanMs / 60_000)) : null,
      busiest_minute_requests: busiest,
      dispersion_per_second: rows > 0 && seconds >= 2 ? variance / mean : null,
    },
    prefix: withBlocks
      ? { blocks, repeated, reuse_share: blocks > 0 ? repeated / blocks : 0, distinct: seen.size }
      : null,
    sessions: sessions.size,
  };
}

function tokenStats(c: IntCounts): TokenStats {
  return { mean: c.mean(), p50: c.quantile(0.5), p90: c.quantile(0.9), p99: c.quantile(0.99), max: c.max };
}

function grow(a: Float64Array, index: number): Float64Array {
  let size = a.length * 2;
  while (size <= index) size *= 2;
  const b = new Float64Array(size);
  b.set(a);
  return b;
}
