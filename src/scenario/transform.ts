/**
 * Parsed scenario file (units converted) -> the typed Scenario: every default filled from defaults.ts,
 * latency/cache/traffic shapes resolved to their tagged forms, relative paths resolved against the
 * scenario's folder, files it names (profile, empirical samples) read, and multi-change events split into
 * one event per change, sorted by time (stable: same-time events keep file order).
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { parse as parseYamlText } from 'yaml';
import { profilePathFor } from '../backends/gguf/profile.js';
import * as M from '../core/model-spec.js';
import type {
  ArrivalSpec,
  CacheModel,
  Distribution,
  LatencyModel,
  ModelSpec,
  SyntheticTraffic,
  TraceTraffic,
  Traffic,
} from '../core/types.js';
import {
  DEFAULT_AB_SPLIT,
  ROUTING_SETTINGS,
  type RoutingConfig,
  type RoutingInput,
} from '../router/config.js';
import { detectFormat, FORMAT_NAMES } from '../traffic/traces/formats.js';
import * as D from './defaults.js';
import { discoverModels } from './discover-models.js';
import { parseDuration } from './durations.js';
import type { DataPath, Position } from './positions.js';
import type { RawEvent, RawModel, RawScenario, RawTrafficStream } from './schema.js';
import type { RouterSpec, Scenario, ScenarioEvent } from './types.js';
import type { RawDistribution } from './values.js';
import type { RawIssue } from './zod-issues.js';

export interface TransformContext {
  /** Absolute path of the scenario file ('' when built in code). */
  file: string;
  /** Folder relative paths are resolved against. */
  baseDir: string;
  /** Default scenario name (the file's base name). */
  defaultName: string;
  locate: (path: DataPath) => Position;
}

export interface TransformResult {
  scenario: Scenario | null;
  issues: RawIssue[];
  warnings: RawIssue[];
}

/** Builds the Scenario; problems found on the way (missing files) come back as issues. */
export function toScenario(raw: RawScenario, ctx: TransformContext): TransformResult {
  const issues: RawIssue[] = [];
  const warnings: RawIssue[] = [];
  const abs = (p: string) => (isAbsolute(p) ? p : resolve(ctx.baseDir, p));
  const dist = (d: RawDistribution, path: DataPath, time: boolean): Distribution =>
    toDistribution(d, path, time, abs, issues);

  const router = toRouter(raw.router);
  const models = (raw.models ?? []).map((m, i) => toModel(m, ['models', i], { abs, dist, issues, warnings }));
  if (raw.discover !== undefined)
    models.push(...discoverModels(abs(raw.discover), models, ['discover'], issues));
  const horizon_ms = raw.duration ?? D.DEFAULT_HORIZON_MS;
  const traffic = toTraffic(raw.traffic, { abs, dist, issues });
  const events = toEvents(raw.events ?? [], raw, models);
  for (const [i, e] of (raw.events ?? []).entries()) {
    if (e.at > horizon_ms)
      warnings.push({
        path: ['events', i, 'at'],
        message: `event at ${e.at} ms is after the horizon (${horizon_ms} ms): it never happens`,
      });
  }
  const expect = (raw.expect ?? []).map((x, i) => {
    const rec = x as Record<string, unknown>;
    const op = (['<', '<=', '>', '>=', '==', '!='] as const).find((o) => rec[o] !== undefined) ?? '==';
    const pos = ctx.locate(['expect', i]);
    return { metric: x.metric, op, value: rec[op] as number, line: pos.line, column: pos.column };
  });
  const scenario: Scenario = {
    file: ctx.file,
    name: raw.name ?? ctx.defaultName,
    seed: raw.seed ?? D.DEFAULT_SEED,
    horizon_ms,
    router,
    models,
    traffic,
    events,
    expect,
    variants: (raw.variants ?? []).map((v) => ({ name: v.name, overrides: { ...(v.overrides ?? {}) } })),
    timeline_interval_ms: raw.timeline?.interval ?? D.DEFAULT_TIMELINE_INTERVAL_MS,
  };
  return { scenario: issues.length ? null : scenario, issues, warnings };
}

/** Routing keys as written (durations already in ms) -> RoutingConfig fields, for the keys given. */
export function toRoutingChanges(r: RoutingInput): Partial<RoutingConfig> {
  const out: Record<string, unknown> = {};
  const given = r as Record<string, unknown>;
  for (const s of ROUTING_SETTINGS) {
    const v = given[s.key];
    // Objects are copied, so the config owns its values.
    if (v !== undefined) out[s.field] = v !== null && typeof v === 'object' ? { ...v } : v;
  }
  return out as Partial<RoutingConfig>;
}

function toRouter(r: RawScenario['router']): RouterSpec {
  const spec = D.defaultRouterSpec();
  if (!r) return spec;
  Object.assign(spec, toRoutingChanges(r));
  spec.signals.refresh_ms = r.signals?.refresh ?? spec.signals.refresh_ms;
  spec.probes = {
    interval_ms: r.probes?.interval ?? D.DEFAULT_PROBES.interval_ms,
    unhealthy_after: r.probes?.unhealthy_after ?? D.DEFAULT_PROBES.unhealthy_after,
    healthy_after: r.probes?.healthy_after ?? D.DEFAULT_PROBES.healthy_after,
  };
  spec.outlier_detection = {
    consecutive_failures:
      r.outlier_detection?.consecutive_failures ?? D.DEFAULT_OUTLIER_DETECTION.consecutive_failures,
    cooldown_ms: r.outlier_detection?.cooldown ?? D.DEFAULT_OUTLIER_DETECTION.cooldown_ms,
  };
  return spec;
}

interface Helpers {
  abs: (p: string) => string;
  dist: (d: RawDistribution, path: DataPath, time: boolean) => Distribution;
  issues: RawIssue[];
  warnings?: RawIssue[];
}

function toModel(m: RawModel, at: DataPath, h: Helpers): ModelSpec {
  const max_concurrency = m.max_concurrency ?? M.DEFAULT_MAX_CONCURRENCY;
  const context_length = m.context_length ?? M.DEFAULT_CONTEXT_LENGTH;
  const backend = m.backend ?? M.DEFAULT_BACKEND;
  let gguf: ModelSpec['gguf'] = null;
  let load_problem: string | undefined;
  if (backend === 'gguf' && m.path) {
    const path = h.abs(m.path);
    if (!existsSync(path)) {
      load_problem = `model file not found: ${m.path}; marked unhealthy, no traffic sent to it`;
      h.warnings?.push({
        path: [...at, 'path'],
        message: `model file not found: ${path} (the model will be marked unhealthy)`,
      });
    }
    gguf = {
      path,
      gpu: m.gpu ?? M.DEFAULT_GGUF_GPU,
      context_size:
        m.context_size ?? (Number.isFinite(context_length) ? context_length : M.DEFAULT_GGUF_CONTEXT_SIZE),
    };
  }
  return {
    id: m.id,
    backend,
    max_concurrency,
    max_queue: m.max_queue ?? M.DEFAULT_MAX_QUEUE,
    // A gguf model without `latency:` is simulated from the profile calibrated beside it, when there is one.
    latency:
      !m.latency && gguf && existsSync(profilePathFor(gguf.path))
        ? readProfile(profilePathFor(gguf.path), [...at, 'path'], h.issues)
        : toLatency(m.latency, max_concurrency, [...at, 'latency'], h),
    cache: toCache(m.cache),
    quota: m.quota
      ? {
          tokens_per_minute: m.quota.tokens_per_minute ?? M.DEFAULT_QUOTA.tokens_per_minute,
          requests_per_minute: m.quota.requests_per_minute ?? M.DEFAULT_QUOTA.requests_per_minute,
          initial_used: m.quota.initial_used ?? M.DEFAULT_QUOTA.initial_used,
        }
      : null,
    health: load_problem ? 'unhealthy' : (m.health ?? M.DEFAULT_HEALTH),
    failure_rate: m.failure_rate ?? M.DEFAULT_FAILURE_RATE,
    weight: m.weight ?? M.DEFAULT_WEIGHT,
    cost_per_1k_tokens: m.cost_per_1k_tokens ?? M.DEFAULT_COST_PER_1K_TOKENS,
    context_length,
    capabilities: [...(m.capabilities ?? [])],
    gguf,
    ...(m.initially === 'absent' ? { initially: 'absent' as const } : {}),
    ...(load_problem ? { load_problem } : {}),
  };
}

function toLatency(l: RawModel['latency'], maxConcurrency: number, at: DataPath, h: Helpers): LatencyModel {
  if (!l) return structuredClone(M.DEFAULT_LATENCY) as LatencyModel;
  if (l.ttft && l.tpot)
    return {
      model: 'ttft_tpot',
      ttft: h.dist(l.ttft, [...at, 'ttft'], true),
      tpot: h.dist(l.tpot, [...at, 'tpot'], true),
    };
  if (l.service) return { model: 'service', service: h.dist(l.service, [...at, 'service'], true) };
  if (l.profile) return readProfile(h.abs(l.profile), [...at, 'profile'], h.issues);
  return {
    model: 'batching',
    prefill_per_token_ms: l.prefill_per_token ?? 0,
    decode_step_ms: l.decode_step ?? l.decode_per_token ?? 0,
    slowdown: l.slowdown ?? M.DEFAULT_BATCH_SLOWDOWN,
    max_batch: l.max_batch ?? maxConcurrency,
  };
}

const PROFILE_KEYS = [
  'prefill_ms_per_token',
  'prefill_base_ms',
  'decode_base_ms',
  'decode_per_seq_ms',
] as const;

/** A calibration profile (JSON or YAML) with the four fitted coefficients, in ms. */
function readProfile(path: string, at: DataPath, issues: RawIssue[]): LatencyModel {
  const out = {
    model: 'profile' as const,
    profile_path: path,
    prefill_ms_per_token: 0,
    prefill_base_ms: 0,
    decode_base_ms: 0,
    decode_per_seq_ms: 0,
  };
  let data: unknown;
  try {
    data = parseYamlText(readFileSync(path, 'utf8'));
  } catch (err) {
    const why =
      (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'not found' : (err as Error).message.split('\n')[0];
    issues.push({
      path: at,
      message: `cannot read latency profile ${path}: ${why}`,
      suggestion: 'write one with `routesim calibrate MODEL.gguf`',
    });
    return out;
  }
  const rec = (data ?? {}) as Record<string, unknown>;
  for (const k of PROFILE_KEYS) {
    const v = rec[k];
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
      issues.push({
        path: at,
        message: `latency profile ${path}: \`${k}\` must be a number >= 0, got ${JSON.stringify(v)}`,
      });
    } else out[k] = v;
  }
  return out;
}

function toCache(c: RawModel['cache']): CacheModel {
  if (!c) return { ...M.DEFAULT_CACHE } as CacheModel;
  if (c.hit_rate !== undefined) return { kind: 'fixed', hit_rate: c.hit_rate };
  if (c.capacity_tokens !== undefined) {
    return {
      kind: 'prefix',
      capacity_tokens: c.capacity_tokens,
      block_tokens: c.block_tokens ?? M.DEFAULT_BLOCK_TOKENS,
    };
  }
  return { kind: 'none' };
}

function toDistribution(
  d: RawDistribution,
  at: DataPath,
  time: boolean,
  abs: (p: string) => string,
  issues: RawIssue[],
): Distribution {
  if (d.dist !== 'empirical') return { ...d } as Distribution;
  if (d.samples) return { dist: 'empirical', samples: [...d.samples] };
  const path = abs(d.file ?? '');
  const samples: number[] = [];
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const why = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'not found' : (err as Error).message;
    issues.push({ path: [...at, 'file'], message: `cannot read samples file ${path}: ${why}` });
    return { dist: 'empirical', samples: [0] };
  }
  const words = text.split(/[\s,]+/).filter((w) => w.length > 0);
  for (const [i, w] of words.entries()) {
    const v = time
      ? parseDuration(w)
      : { ok: Number.isFinite(Number(w)) && Number(w) >= 0, value: Number(w) };
    if (!v.ok) {
      issues.push({
        path: [...at, 'file'],
        message: `samples file ${path}: sample ${i + 1} "${w}" is not a ${time ? 'duration' : 'number >= 0'}`,
      });
      break;
    }
    samples.push(v.value as number);
  }
  if (samples.length === 0)
    issues.push({ path: [...at, 'file'], message: `samples file ${path} has no samples` });
  return { dist: 'empirical', samples: samples.length ? samples : [0] };
}

function toTraffic(t: RawScenario['traffic'], h: Helpers): Traffic {
  if (t?.streams) {
    return { kind: 'merge', streams: t.streams.map((s, i) => toStream(s, ['traffic', 'streams', i], h)) };
  }
  return toStream(t ?? {}, ['traffic'], h);
}

function toStream(s: RawTrafficStream, at: DataPath, h: Helpers): SyntheticTraffic | TraceTraffic {
  if (s.trace !== undefined) {
    const path = h.abs(s.trace);
    let format: TraceTraffic['format'] = s.format ?? 'native';
    if (!existsSync(path)) {
      h.issues.push({ path: [...at, 'trace'], message: `trace file not found: ${path}` });
    } else if (statSync(path).isDirectory()) {
      // Caught here: the reader would otherwise fail mid-run with EISDIR and a stack trace.
      h.issues.push({ path: [...at, 'trace'], message: `trace is a folder, not a file: ${path}` });
    } else if (statSync(path).size === 0) {
      // An empty trace would replay no request, and every latency expectation would pass on zeros.
      h.issues.push({ path: [...at, 'trace'], message: `trace file is empty: ${path}` });
    } else if (s.format === undefined) {
      // No format named: tell it from the file's name and first line, as `trace stats` does.
      try {
        format = detectFormat(path);
      } catch (err) {
        // A JSONL file that looks like no known format is read as native (whose reader names bad rows).
        if (/\.jsonl?$/i.test(path)) format = 'native';
        else
          h.issues.push({
            path: [...at, 'trace'],
            message: (err as Error).message,
            suggestion: `add format: ${FORMAT_NAMES.join(' | ')}`,
          });
      }
    }
    return {
      kind: 'trace',
      path,
      format,
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
export function toArrivals(a: RawArrivals | undefined): ArrivalSpec {
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

/** One event per change, ab_split ramps expanded into steps, sorted by time (stable). */
export function toEvents(raw: RawEvent[], scenario: RawScenario, models: ModelSpec[]): ScenarioEvent[] {
  const order = raw.map((e, i) => ({ e, i })).sort((a, b) => a.e.at - b.e.at || a.i - b.i);
  let split = scenario.router?.ab_test?.split ?? DEFAULT_AB_SPLIT;
  const out: ScenarioEvent[] = [];
  for (const { e } of order) {
    const at_ms = e.at;
    const model = e.model ?? '';
    // A removed model leaves before its other changes apply; an added one joins after them.
    if (e.remove) out.push({ at_ms, kind: 'presence', model, present: false });
    if (e.health !== undefined) out.push({ at_ms, kind: 'health', model, health: e.health });
    if (e.latency_factor !== undefined)
      out.push({ at_ms, kind: 'latency_factor', model, factor: e.latency_factor });
    if (e.failure_rate !== undefined)
      out.push({ at_ms, kind: 'failure_rate', model, failure_rate: e.failure_rate });
    if (e.max_concurrency !== undefined)
      out.push({ at_ms, kind: 'capacity', model, max_concurrency: e.max_concurrency });
    if (e.quota !== undefined) {
      const q = models.find((m) => m.id === model)?.quota ?? M.DEFAULT_QUOTA;
      out.push({
        at_ms,
        kind: 'quota',
        model,
        tokens_per_minute: e.quota.tokens_per_minute ?? q.tokens_per_minute,
        requests_per_minute: e.quota.requests_per_minute ?? q.requests_per_minute,
      });
    }
    if (e.add) out.push({ at_ms, kind: 'presence', model, present: true });
    if (e.router !== undefined) out.push({ at_ms, kind: 'router', changes: toRoutingChanges(e.router) });
    if (typeof e.ab_split === 'number') {
      out.push({ at_ms, kind: 'ab_split', split: e.ab_split });
      split = e.ab_split;
    } else if (e.ab_split !== undefined) {
      const { to, over, steps = D.DEFAULT_AB_RAMP_STEPS, from = split } = e.ab_split;
      for (let k = 1; k <= steps; k++) {
        out.push({
          at_ms: at_ms + (over * k) / steps,
          kind: 'ab_split',
          split: from + ((to - from) * k) / steps,
        });
      }
      split = to;
    }
  }
  // Stable: Array.prototype.sort keeps equal elements in order.
  return out.sort((a, b) => a.at_ms - b.at_ms);
}
