/**
 * The `traffic:` section -> Traffic: one synthetic or trace stream, or several merged, with every default
 * filled from defaults.ts and trace formats told from the file where the scenario names none (resolve.ts).
 */
import type { ArrivalSpec, SyntheticTraffic, TraceTraffic, Traffic } from '../core/types.js';
import * as D from './defaults.js';
import type { DataPath } from './positions.js';
import type { RawScenario, RawTrafficStream } from './schema.js';
import type { Helpers } from './transform-distribution.js';

/** The section as written (absent: the default synthetic stream). */
export function toTraffic(t: RawScenario['traffic'], h: Helpers): Traffic {
  if (t?.inference_perf !== undefined) {
    const profile = h.files.inferencePerf.get(h.files.abs(t.inference_perf));
    // Absent only when reading it failed, which resolveFiles recorded as an issue: the load fails anyway.
    if (!profile) return toStream({}, ['traffic'], h);
    return { kind: 'inference_perf', profile };
  }
  if (t?.streams) {
    return { kind: 'merge', streams: t.streams.map((s, i) => toStream(s, ['traffic', 'streams', i], h)) };
  }
  return toStream(t ?? {}, ['traffic'], h);
}

function toStream(s: RawTrafficStream, at: DataPath, h: Helpers): SyntheticTraffic | TraceTraffic {
  if (s.trace !== undefined) {
    const path = h.files.abs(s.trace);
    return {
      kind: 'trace',
      path,
      format: s.format ?? h.files.traceFormats.get(path) ?? 'native',
      speed: s.speed ?? D.DEFAULT_TRACE_SPEED,
      target_rate: s.target_rate ?? null,
      window: s.window
        ? { start_ms: s.window.start ?? 0, end_ms: s.window.end ?? Number.POSITIVE_INFINITY }
        : null,
      sample: s.sample ?? D.DEFAULT_TRACE_SAMPLE,
      loop: s.loop ?? D.DEFAULT_TRACE_LOOP,
      on_bad_row: s.on_bad_row ?? D.DEFAULT_ON_BAD_ROW,
      columns: s.columns ? { ...s.columns } : null,
      tenant: s.tenant ?? null,
    };
  }
  const sessions = s.sessions;
  return {
    kind: 'synthetic',
    arrivals: toArrivals(s.arrivals),
    requests: s.requests ?? D.DEFAULT_REQUESTS,
    prompt_tokens: s.prompt_tokens
      ? h.dist(s.prompt_tokens, [...at, 'prompt_tokens'], false)
      : { ...D.DEFAULT_PROMPT_TOKENS },
    output_tokens: s.output_tokens
      ? h.dist(s.output_tokens, [...at, 'output_tokens'], false)
      : { ...D.DEFAULT_OUTPUT_TOKENS },
    sessions: sessions
      ? {
          count: sessions.count,
          popularity: sessions.popularity ?? D.DEFAULT_SESSION_POPULARITY,
          zipf_s: sessions.zipf_s ?? D.DEFAULT_ZIPF_S,
          turns: sessions.turns
            ? h.dist(sessions.turns, [...at, 'sessions', 'turns'], false)
            : { ...D.DEFAULT_SESSION_TURNS },
          think_time_ms: sessions.think_time
            ? h.dist(sessions.think_time, [...at, 'sessions', 'think_time'], true)
            : { ...D.DEFAULT_THINK_TIME_MS },
        }
      : null,
    shared_prefix_tokens: s.shared_prefix_tokens ?? D.DEFAULT_SHARED_PREFIX_TOKENS,
    block_tokens: s.block_tokens ?? D.DEFAULT_TRAFFIC_BLOCK_TOKENS,
    tenant: s.tenant ?? null,
  };
}

type RawArrivals = NonNullable<RawTrafficStream['arrivals']>;

/** Arrival process and its params, named as the traffic generators read them (ms, per second). */
function toArrivals(a: RawArrivals | undefined): ArrivalSpec {
  const process = a?.process ?? D.DEFAULT_ARRIVAL_PROCESS;
  const rate = a?.rate ?? D.DEFAULT_ARRIVAL_RATE;
  const params: Record<string, number> = {};
  switch (process) {
    case 'gamma':
      params.cv = a?.cv ?? D.DEFAULT_GAMMA_CV;
      break;
    case 'diurnal':
      params.period_ms = a?.period ?? D.DEFAULT_DIURNAL_PERIOD_MS;
      params.phase_ms = a?.phase ?? D.DEFAULT_DIURNAL_PHASE_MS;
      if (a?.amplitude !== undefined) params.amplitude = a.amplitude;
      else params.peak_to_trough = a?.peak_to_trough ?? D.DEFAULT_DIURNAL_PEAK_TO_TROUGH;
      break;
    case 'bursts':
      params.on_ms = a?.on ?? D.DEFAULT_BURST_ON_MS;
      params.off_ms = a?.off ?? D.DEFAULT_BURST_OFF_MS;
      params.burst_factor = a?.burst_factor ?? D.DEFAULT_BURST_FACTOR;
      break;
    case 'ramp':
      params.from_rate = a?.from_rate ?? D.DEFAULT_RAMP_FROM_RATE;
      params.ramp_ms = a?.ramp ?? D.DEFAULT_RAMP_MS;
      break;
  }
  return { process, rate, params };
}
