/**
 * Parsed scenario file (units converted) + what its files hold (resolve.ts) -> the typed Scenario: every
 * default filled from defaults.ts, latency/cache/traffic shapes resolved to their tagged forms, and
 * multi-change events split into one event per change, sorted by time (stable: same-time events keep file
 * order). Pure: no file is read here.
 */
import { profilePathFor } from '../backends/gguf/profile.js';
import { num } from '../core/format.js';
import { MAX_QUEUE } from '../core/limits.js';
import * as M from '../core/model-spec.js';
import type { CacheModel, LatencyModel, ModelSpec } from '../core/types.js';
import { DEFAULT_AB_SPLIT } from '../router/config.js';
import * as D from './defaults.js';
import { loadEvents } from './events/index.js';
import type { DataPath, Position } from './positions.js';
import type { ScenarioFiles } from './resolve.js';
import { toRoutingChanges } from './routing.js';
import { EXPECT_OPS, type RawModel, type RawScenario } from './schema.js';
import { distLoader, type Helpers } from './transform-distribution.js';
import { toEngine } from './transform-engine.js';
import { toTraffic } from './transform-traffic.js';
import type { RouterSpec, Scenario } from './types.js';
import type { RawIssue } from './zod-issues.js';

export interface TransformContext {
  /** Absolute path of the scenario file ('' when built in code). */
  file: string;
  /** Default scenario name (the file's base name). */
  defaultName: string;
  locate: (path: DataPath) => Position;
}

export interface TransformResult {
  scenario: Scenario | null;
  issues: RawIssue[];
  warnings: RawIssue[];
}

/**
 * Builds the Scenario from `raw` and what `files` holds (resolveFiles of the same raw). Problems found on
 * the way (bad samples in a file) come back as issues; events after the horizon as warnings.
 */
export function toScenario(raw: RawScenario, files: ScenarioFiles, ctx: TransformContext): TransformResult {
  const issues: RawIssue[] = [];
  const warnings: RawIssue[] = [];
  const h: Helpers = { files, dist: distLoader(files, issues), issues };

  const router = toRouter(raw.router);
  const models = (raw.models ?? []).map((m, i) => toModel(m, ['models', i], h));
  models.push(...files.discovered);
  const horizon_ms = raw.duration ?? D.DEFAULT_HORIZON_MS;
  const traffic = toTraffic(raw.traffic, h);
  const events = loadEvents(raw.events ?? [], raw.router?.ab_test?.split ?? DEFAULT_AB_SPLIT, models);
  for (const [i, e] of (raw.events ?? []).entries()) {
    if (e.at > horizon_ms)
      warnings.push({
        path: ['events', i, 'at'],
        // In seconds, as a reader wrote them (`2m` read back as "120000 ms").
        message: `event at ${num(e.at / 1000)} s is after the horizon (${num(horizon_ms / 1000)} s): it never happens`,
      });
  }
  const expect = (raw.expect ?? []).map((x, i) => {
    const rec = x as Record<string, unknown>;
    const op = EXPECT_OPS.find((o) => rec[o] !== undefined) ?? '==';
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
    ...(raw.traffic?.client_timeout !== undefined
      ? raw.traffic.client_timeout
        ? { client_timeout_ms: raw.traffic.client_timeout }
        : {}
      : // An inference-perf client gives up after its profile's request timeout (300 s when unset).
        traffic.kind === 'inference_perf'
        ? { client_timeout_ms: traffic.profile.request_timeout_s * 1000 }
        : {}),
    events,
    expect,
    variants: (raw.variants ?? []).map((v) => ({ name: v.name, overrides: { ...(v.overrides ?? {}) } })),
    timeline_interval_ms: raw.timeline?.interval ?? D.DEFAULT_TIMELINE_INTERVAL_MS,
  };
  return { scenario: issues.length ? null : scenario, issues, warnings };
}

function toRouter(r: RawScenario['router']): RouterSpec {
  const spec = D.defaultRouterSpec();
  if (!r) return spec;
  Object.assign(spec, toRoutingChanges(r));
  spec.signals.refresh_ms = r.signals?.refresh ?? spec.signals.refresh_ms;
  if (r.replicas !== undefined) spec.replicas = { ...D.DEFAULT_REPLICAS, ...r.replicas };
  spec.probes = {
    interval_ms: r.probes?.interval ?? D.DEFAULT_PROBES.interval_ms,
    unhealthy_after: r.probes?.unhealthy_after ?? D.DEFAULT_PROBES.unhealthy_after,
    healthy_after: r.probes?.healthy_after ?? D.DEFAULT_PROBES.healthy_after,
  };
  spec.outlier_detection = {
    consecutive_failures:
      r.outlier_detection?.consecutive_failures ?? D.DEFAULT_OUTLIER_DETECTION.consecutive_failures,
    cooldown_ms: r.outlier_detection?.cooldown ?? D.DEFAULT_OUTLIER_DETECTION.cooldown_ms,
    max_ejection_percent:
      r.outlier_detection?.max_ejection_percent ?? D.DEFAULT_OUTLIER_DETECTION.max_ejection_percent,
  };
  return spec;
}

function toModel(m: RawModel, at: DataPath, h: Helpers): ModelSpec {
  const max_concurrency = m.max_concurrency ?? M.DEFAULT_MAX_CONCURRENCY;
  const context_length = m.context_length ?? M.DEFAULT_CONTEXT_LENGTH;
  const backend = m.backend ?? M.DEFAULT_BACKEND;
  let gguf: ModelSpec['gguf'] = null;
  let load_problem: string | undefined;
  if (backend === 'gguf' && m.path) {
    const path = h.files.abs(m.path);
    if (h.files.missingModels.has(path)) {
      load_problem = `model file not found: ${m.path}; marked unhealthy, no traffic sent to it`;
    }
    gguf = {
      path,
      gpu: m.gpu ?? M.DEFAULT_GGUF_GPU,
      context_size:
        m.context_size ?? (Number.isFinite(context_length) ? context_length : M.DEFAULT_GGUF_CONTEXT_SIZE),
    };
  }
  const engine = m.engine && toEngine(m.engine, [...at, 'engine'], h.files.abs, h.files.engine, h.issues);
  return {
    id: m.id,
    backend,
    max_concurrency,
    // A serving engine queues whatever it is sent (vLLM has no waiting-queue limit).
    max_queue: m.max_queue ?? (m.engine ? MAX_QUEUE : M.DEFAULT_MAX_QUEUE),
    latency: engine
      ? { model: 'engine', engine }
      : // A gguf model without `latency:` is simulated from the profile calibrated beside it, when there is one.
        (!m.latency && gguf && profileAt(profilePathFor(gguf.path), h)) ||
        toLatency(m.latency, max_concurrency, [...at, 'latency'], h),
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
    ...(backend === 'openai' && m.url
      ? {
          openai: {
            url: m.url,
            api_model: m.api_model ?? m.id,
            api_key_env: m.api_key_env ?? null,
            api: m.api ?? M.DEFAULT_OPENAI_API,
            timeout_ms: m.timeout ?? M.DEFAULT_OPENAI_TIMEOUT_MS,
            ignore_eos: m.ignore_eos ?? M.DEFAULT_OPENAI_IGNORE_EOS,
          },
        }
      : {}),
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
  if (l.profile) return profileAt(h.files.abs(l.profile), h) ?? { ...M.DEFAULT_LATENCY };
  return {
    model: 'batching',
    prefill_per_token_ms: l.prefill_per_token ?? 0,
    decode_step_ms: l.decode_step ?? l.decode_per_token ?? 0,
    slowdown: l.slowdown ?? M.DEFAULT_BATCH_SLOWDOWN,
    max_batch: l.max_batch ?? maxConcurrency,
  };
}

/** A copy of the profile read at `path` (each model owns its latency model); undefined if unread. */
function profileAt(path: string, h: Helpers): LatencyModel | undefined {
  const p = h.files.profiles.get(path);
  return p && { ...p };
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
