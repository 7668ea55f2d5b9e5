/**
 * The report metrics an `expect:` entry may name: numeric leaves of the report (src/report/types.ts),
 * with `models.<id>.` and `routing.strategy_counts.<strategy>` expanded for a given scenario.
 */
import { STRATEGY_NAMES } from '../strategies/index.js';
import { closest } from './suggest.js';
import type { Scenario } from './types.js';
import type { RawIssue } from './zod-issues.js';

const SUMMARY = ['count', 'mean', 'p50', 'p90', 'p99', 'max'];
const summaries = (prefix: string, names: string[]) =>
  names.flatMap((n) => SUMMARY.map((s) => `${prefix}${n}.${s}`));

/** Metrics that do not depend on the scenario's models. */
export const GLOBAL_METRICS: readonly string[] = [
  ...['horizon_s', 'events', 'end_s'].map((k) => `sim.${k}`),
  ...[
    'total',
    'completed',
    'failed',
    'rejected',
    'retried',
    'fallback',
    'timed_out',
    'in_flight_at_horizon',
    'skipped_rows',
  ].map((k) => `requests.${k}`),
  ...summaries('latency.', ['ttft_ms', 'e2e_ms', 'tpot_ms', 'queue_ms']),
  'cache.hit_rate',
  'cache.token_hit_rate',
  'routing.fallbacks',
  'routing.retries',
  'routing.retries_denied',
  'routing.attempted_models_mean',
  ...['hits', 'misses', 'stale_hits', 'expired', 'entries'].map((k) => `routing.affinity.${k}`),
  'routing.ab.a',
  'routing.ab.b',
  ...STRATEGY_NAMES.map((s) => `routing.strategy_counts.${s}`),
  'balance.jain_index',
  'balance.cv',
];

/** Per-model metric names, after `models.<id>.`. */
export const MODEL_METRICS: readonly string[] = [
  'attempts',
  'share',
  'completed',
  'failed_attempts',
  'refused_attempts',
  'cache_hit_rate',
  'cache_token_hit_rate',
  'quota_used',
  'utilization',
  ...summaries('', ['ttft_ms', 'e2e_ms', 'queue_ms']),
];

/** Per-model metric names of serving-engine models (`engine:`), after `models.<id>.` (EngineStats). */
export const ENGINE_METRICS: readonly string[] = [
  'steps',
  'preemptions',
  'kv_blocks',
  'kv_peak_usage',
  'prefix_evictions',
].map((k) => `engine.${k}`);

/** Per-stage metric names, after `stages.<n>.` (report/types.ts StageReport). */
const STAGE_METRICS: readonly string[] = [
  'rate',
  'duration_s',
  'requests',
  'completed',
  'failed',
  'rejected',
  ...summaries('', ['ttft_ms', 'e2e_ms', 'tpot_ms']),
];

/** Per-drill metric names, after `drills.<n>.` (report/types.ts Drill). */
const DRILL_METRICS: readonly string[] = [
  'at_s',
  'detected_after_s',
  'recovered_after_s',
  'lost_requests',
  'retry_amplification',
  'max_share',
  ...['before', 'min', 'after'].map((k) => `cache_hit_rate.${k}`),
  ...['before', 'during', 'after'].map((k) => `p99_e2e_ms.${k}`),
];

/**
 * Per-model names of earlier versions, which counted attempts under request-like names (their sum over
 * models exceeded the request totals whenever there were retries): old name -> the name it became.
 */
const RENAMED_MODEL_METRICS: Readonly<Record<string, string>> = {
  requests: 'attempts',
  failed: 'failed_attempts',
  rejected: 'refused_attempts',
};

export type MetricCheck = { ok: true } | { ok: false; message: string; suggestion?: string };

/** Per-replica metric names, after `routing.replicas.<i>.` (`share` and `ejections` then take a model id). */
const REPLICA_METRICS: readonly string[] = [
  'requests',
  'decisions',
  'retries',
  'fallbacks',
  'rejected',
  'affinity_hits',
];
const REPLICA_MODEL_METRICS: readonly string[] = ['share', 'ejections'];

/** `routing.replicas.<i>.<name>` (i a replica number; a replica the run lacks reads as no value). */
function checkReplicaMetric(rest: string, modelIds: readonly string[]): MetricCheck {
  const m = /^(\d+)\.(.+)$/.exec(rest);
  if (m !== null) {
    const leaf = m[2];
    if (REPLICA_METRICS.includes(leaf)) return { ok: true };
    const dot = leaf.indexOf('.');
    if (
      dot > 0 &&
      REPLICA_MODEL_METRICS.includes(leaf.slice(0, dot)) &&
      modelIds.includes(leaf.slice(dot + 1))
    )
      return { ok: true };
  }
  return {
    ok: false,
    message: `\`routing.replicas.${rest}\` is not a report metric`,
    suggestion: `per-replica metrics: routing.replicas.<i>.{${REPLICA_METRICS.join(', ')}}, routing.replicas.<i>.share.<model>, routing.replicas.<i>.ejections.<model>`,
  };
}

/** What else of a scenario decides which metrics its report has. */
export interface MetricScope {
  /** Ids of the models with `engine:` (their reports have `models.<id>.engine.*`). */
  engineIds?: readonly string[];
  /**
   * Load stages of the traffic (`traffic: { inference_perf }`): their number once the profile is read,
   * 'some' before (any index passes), 0 or absent when the traffic has none.
   */
  stages?: number | 'some';
}

/**
 * Whether `metric` names a number in the report of a scenario with these model ids and `drills` fault
 * events (report.json has one `drills` entry per fault event, in time order).
 */
export function checkMetric(
  metric: string,
  modelIds: readonly string[],
  drills = 0,
  scope: MetricScope = {},
): MetricCheck {
  if (GLOBAL_METRICS.includes(metric)) return { ok: true };
  if (metric === 'drills' || metric.startsWith('drills.')) return checkDrillMetric(metric, drills);
  if (metric === 'stages' || metric.startsWith('stages.')) return checkStageMetric(metric, scope.stages ?? 0);
  if (metric.startsWith('routing.replicas.'))
    return checkReplicaMetric(metric.slice('routing.replicas.'.length), modelIds);
  if (metric.startsWith('models.')) {
    const rest = metric.slice('models.'.length);
    // Model ids may contain dots: take the longest id that prefixes the rest.
    const id = [...modelIds].sort((a, b) => b.length - a.length).find((m) => rest.startsWith(`${m}.`));
    if (id === undefined) {
      const guess = rest.split('.')[0];
      const near = closest(guess, modelIds);
      return {
        ok: false,
        message: `metric \`${metric}\` names a model that does not exist: \`${guess}\``,
        suggestion: near
          ? `did you mean \`models.${near}.${rest.slice(guess.length + 1)}\`?`
          : `models: ${modelIds.join(', ')}`,
      };
    }
    const leaf = rest.slice(id.length + 1);
    if (MODEL_METRICS.includes(leaf)) return { ok: true };
    if (leaf === 'engine' || leaf.startsWith('engine.')) return checkEngineMetric(metric, id, leaf, scope);
    const renamed = RENAMED_MODEL_METRICS[leaf];
    if (renamed !== undefined) {
      return {
        ok: false,
        message: `\`${metric}\` was renamed: per-model counts count attempts (a retried request is an attempt on each model it tried), and are named so`,
        suggestion: `use \`models.${id}.${renamed}\`; for requests, use \`requests.${leaf === 'requests' ? 'total' : leaf}\``,
      };
    }
    return leafIn(metric, leaf, MODEL_METRICS, `models.${id}.`, 'per-model metrics');
  }
  const candidates = [
    ...GLOBAL_METRICS,
    ...modelIds.flatMap((id) => MODEL_METRICS.map((m) => `models.${id}.${m}`)),
  ];
  const near = closest(metric, candidates);
  return {
    ok: false,
    message: `\`${metric}\` is not a report metric`,
    suggestion: near
      ? `did you mean \`${near}\`?`
      : 'e.g. requests.failed, latency.e2e_ms.p99, models.<id>.share',
  };
}

/**
 * `leaf` checked against the names a section of the report has: ok, or "not a report metric" with the
 * nearest name under `prefix` (the part of the metric before the leaf), else the whole list as `what`.
 */
function leafIn(
  metric: string,
  leaf: string,
  names: readonly string[],
  prefix: string,
  what: string,
): MetricCheck {
  if (names.includes(leaf)) return { ok: true };
  const near = closest(leaf, names);
  return {
    ok: false,
    message: `\`${metric}\` is not a report metric`,
    suggestion: near ? `did you mean \`${prefix}${near}\`?` : `${what}: ${names.join(', ')}`,
  };
}

function checkEngineMetric(metric: string, id: string, leaf: string, scope: MetricScope): MetricCheck {
  if (!(scope.engineIds ?? []).includes(id)) {
    return {
      ok: false,
      message: `\`${metric}\`: model \`${id}\` has no \`engine:\` block, so its report has no engine figures`,
      suggestion: `engine figures (models with \`engine:\` only): ${ENGINE_METRICS.join(', ')}`,
    };
  }
  return leafIn(metric, leaf, ENGINE_METRICS, `models.${id}.`, 'engine figures');
}

function checkStageMetric(metric: string, stages: number | 'some'): MetricCheck {
  const [, index = '', ...rest] = metric.split('.');
  const leaf = rest.join('.');
  if (stages === 0) {
    return {
      ok: false,
      message: `\`${metric}\`: this scenario's traffic has no load stages, so its report has no \`stages\``,
      suggestion:
        'stages come with `traffic: { inference_perf: PROFILE }`; for the whole run use latency.* and requests.*',
    };
  }
  const range =
    stages === 'some'
      ? 'n from 0'
      : `n from 0 to ${stages - 1} (the profile has ${stages} stage${stages === 1 ? '' : 's'})`;
  if (!/^(0|[1-9][0-9]*)$/.test(index))
    return {
      ok: false,
      message: `\`${metric}\` needs a stage index: stages.<n>.<metric>, ${range}`,
      suggestion: 'e.g. stages.0.e2e_ms.mean',
    };
  if (stages !== 'some' && Number(index) >= stages)
    return { ok: false, message: `\`${metric}\`: no stage ${index}; ${range}` };
  return leafIn(metric, leaf, STAGE_METRICS, `stages.${index}.`, 'stage metrics');
}

function checkDrillMetric(metric: string, drills: number): MetricCheck {
  const [, index = '', ...rest] = metric.split('.');
  const leaf = rest.join('.');
  const range =
    drills === 0
      ? 'this scenario has no fault events (events that make a model unhealthy, crash, hang, ...), so its report has no drills'
      : `this scenario has ${drills} fault event${drills === 1 ? '' : 's'}: drills.0${drills > 1 ? ` to drills.${drills - 1}` : ''}, in time order`;
  if (!/^(0|[1-9][0-9]*)$/.test(index)) {
    return {
      ok: false,
      message: `\`${metric}\` needs a drill index: drills.<n>.<metric>, n from 0 (${range})`,
      suggestion: `e.g. drills.0.recovered_after_s`,
    };
  }
  if (Number(index) >= drills) {
    return { ok: false, message: `\`${metric}\`: no drill ${index}; ${range}` };
  }
  return leafIn(metric, leaf, DRILL_METRICS, `drills.${index}.`, 'drill metrics');
}

/**
 * The `stages.<n>.*` expectations of a built scenario whose stage count is now known (the inference-perf
 * profile has been read): an index past the last stage is an issue at the expectation's metric.
 */
export function stageMetricIssues(s: Scenario): RawIssue[] {
  if (s.traffic.kind !== 'inference_perf') return [];
  const stages = s.traffic.profile.load.stages.length;
  return s.expect.flatMap((x, i) => {
    if (!x.metric.startsWith('stages.')) return [];
    const m = checkStageMetric(x.metric, stages);
    return m.ok ? [] : [{ path: ['expect', i, 'metric'], message: m.message, suggestion: m.suggestion }];
  });
}
