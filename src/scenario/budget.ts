/**
 * Checks of what a scenario would make a run do, which no single key shows: the requests it creates
 * (rate x horizon), the timeline buckets of a user-set interval, the periodic events (probes, signal
 * refreshes) over the horizon, and the longest retry wait. Each is held to a limit of core/limits.ts, so
 * that a scenario that validates runs in bounded memory; a problem says the limit and the value that
 * would keep under it.
 */
import { MAX_PERIODIC_EVENTS, MAX_REQUESTS, MAX_TIME_MS, showMs, timelineBucketCap } from '../core/limits.js';
import type { SyntheticTraffic, TraceTraffic } from '../core/types.js';
import type { DataPath } from './positions.js';
import type { Scenario } from './types.js';
import type { RawIssue } from './zod-issues.js';

type Stream = SyntheticTraffic | TraceTraffic;

/** What the file said, beyond the loaded Scenario: whether `timeline.interval` was given. */
export interface BudgetInput {
  timelineIntervalGiven: boolean;
}

/** Every budget problem of a loaded scenario (none for the example scenarios: their numbers are small). */
export function checkBudget(s: Scenario, input: BudgetInput): RawIssue[] {
  const out: RawIssue[] = [];
  const streams = streamsOf(s);
  let total = 0;
  for (const { stream, at } of streams) {
    if (stream.kind !== 'synthetic') continue;
    const n = expectedRequests(stream, s.horizon_ms);
    total += n;
    if (n > MAX_REQUESTS) {
      out.push({
        path: Number.isFinite(stream.requests) ? [...at, 'requests'] : [...at, 'arrivals', 'rate'],
        message: `this stream would create about ${round(n)} requests (rate ${stream.arrivals.rate}/s over ${showMs(s.horizon_ms)}); a run creates at most ${MAX_REQUESTS}: lower the rate, the duration or set \`requests\``,
      });
    }
  }
  if (s.traffic.kind === 'inference_perf') {
    const stages = s.traffic.profile.load.stages;
    total = stages.reduce((n, st) => n + st.rate * st.duration_s, 0);
    if (total > MAX_REQUESTS)
      out.push({
        path: ['traffic', 'inference_perf'],
        message: `the profile's stages would send about ${round(total)} requests; a run creates at most ${MAX_REQUESTS}`,
      });
  }
  if (total > MAX_REQUESTS && out.length === 0) {
    out.push({
      path: ['traffic', 'streams'],
      message: `the streams together would create about ${round(total)} requests; a run creates at most ${MAX_REQUESTS}`,
    });
  }

  out.push(...checkRetries(s));
  const span = spanMs(s, streams);
  if (span === null) return out; // a trace's span is known only once it is read: the run caps it
  if (input.timelineIntervalGiven) {
    const buckets = span / s.timeline_interval_ms;
    const cap = timelineBucketCap(s.models.length);
    if (buckets > cap) {
      out.push({
        path: ['timeline', 'interval'],
        message: `an interval of ${showMs(s.timeline_interval_ms)} over ${showMs(Math.ceil(span))} makes ${round(buckets)} timeline buckets; at most ${cap} (the cap for ${s.models.length} ${s.models.length === 1 ? 'model' : 'models'})`,
        suggestion: `use an interval of at least ${showMs(Math.ceil(span / cap))}, or leave it out`,
      });
    }
  }
  const models = Math.max(1, s.models.length);
  const periodic: [DataPath, number, number][] = [
    [['router', 'probes', 'interval'], s.router.probes.interval_ms, models],
    [['router', 'signals', 'refresh'], s.router.signals.refresh_ms, 1],
  ];
  for (const [path, every, per] of periodic) {
    if (!(every > 0)) continue;
    const n = (span / every) * per;
    if (n > MAX_PERIODIC_EVENTS) {
      out.push({
        path,
        message: `every ${showMs(every)} over ${showMs(Math.ceil(span))}${per > 1 ? ` for ${per} models` : ''} is ${round(n)} events; a run schedules at most ${MAX_PERIODIC_EVENTS}`,
        suggestion: `use at least ${showMs(Math.ceil((span * per) / MAX_PERIODIC_EVENTS))}`,
      });
    }
  }
  return out;
}

/**
 * The last retry waits retry_delay * backoff^(n-1); past MAX_TIME_MS (or Infinity) it could not be
 * scheduled. n is bounded by the models a retry can go to (each retry tries another one).
 */
function checkRetries(s: Scenario): RawIssue[] {
  const { max_retries, retry_delay_ms, retry_backoff } = s.router;
  const n = Math.min(max_retries, Math.max(0, s.models.length - 1));
  if (n < 2) return [];
  const wait = retry_delay_ms * retry_backoff ** (n - 1);
  if (wait <= MAX_TIME_MS) return [];
  const most = (MAX_TIME_MS / Math.max(1, retry_delay_ms)) ** (1 / (n - 1));
  return [
    {
      path: ['router', 'retry_backoff'],
      message: `retry ${n} would wait ${showMs(retry_delay_ms)} x ${retry_backoff}^${n - 1} = ${round(wait)} ms, past the ${showMs(MAX_TIME_MS)} a run simulates`,
      suggestion: `use a retry_backoff of at most ${Number(most.toPrecision(3))}, or fewer max_retries`,
    },
  ];
}

function streamsOf(s: Scenario): { stream: Stream; at: DataPath }[] {
  if (s.traffic.kind === 'merge')
    return s.traffic.streams.map((stream, i) => ({ stream, at: ['traffic', 'streams', i] }));
  // An inference-perf profile's size is bounded by its own reader (rate and duration limits).
  if (s.traffic.kind === 'inference_perf') return [];
  return [{ stream: s.traffic, at: ['traffic'] }];
}

/** The highest rate a process reaches (a ramp may start above its end rate), per second. */
function peakRate(t: SyntheticTraffic): number {
  const from = t.arrivals.process === 'ramp' ? (t.arrivals.params.from_rate ?? 0) : 0;
  return Math.max(t.arrivals.rate, from);
}

/** Requests a synthetic stream creates: its `requests`, or at most its peak rate over the horizon. */
function expectedRequests(t: SyntheticTraffic, horizonMs: number): number {
  return Math.min(t.requests, (peakRate(t) * horizonMs) / 1000);
}

/**
 * The simulated span: the horizon, or without one the time synthetic streams take to send their requests
 * (at their mean rate). Null when a trace decides it.
 */
function spanMs(s: Scenario, streams: { stream: Stream }[]): number | null {
  if (Number.isFinite(s.horizon_ms)) return s.horizon_ms;
  if (s.traffic.kind === 'inference_perf')
    return s.traffic.profile.load.stages.reduce((t, st) => t + st.duration_s * 1000, 0);
  let span = 0;
  for (const { stream } of streams) {
    if (stream.kind !== 'synthetic') return null;
    span = Math.max(span, (stream.requests / stream.arrivals.rate) * 1000);
  }
  return span;
}

const round = (n: number) => String(Number(n.toPrecision(3)));
