/**
 * Checks that a schema of one key at a time cannot make: references between sections (a model id in
 * events, ab_test or expect), duplicates, and keys that only make sense together. They run on the plain
 * YAML data, whatever else is wrong with it, so that one run reports every problem. Values of the wrong
 * type are skipped here (the schema reports them).
 */

import { countFaults, MODEL_CHANGE_KEYS, ROUTER_CHANGE_KEYS } from './events/index.js';
import { checkMetric, type MetricScope } from './metrics.js';
import type { DataPath } from './positions.js';
import { EXPECT_OPS } from './schema.js';
import { didYouMean } from './suggest.js';
import type { RawIssue } from './zod-issues.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const has = (o: Obj, k: string) => o[k] !== undefined;
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

const LATENCY_GROUPS: Record<string, string[]> = {
  'ttft/tpot': ['ttft', 'tpot'],
  service: ['service'],
  'continuous batching': ['prefill_per_token', 'decode_step', 'decode_per_token', 'slowdown', 'max_batch'],
  profile: ['profile'],
};
const SYNTHETIC_KEYS = ['arrivals', 'requests', 'prompt_tokens', 'output_tokens', 'sessions'];
const TRACE_KEYS = ['format', 'speed', 'target_rate', 'window', 'sample', 'loop', 'on_bad_row', 'columns'];
/** Model keys that only a `backend: openai` entry takes. */
const OPENAI_KEYS = ['url', 'api_model', 'api_key_env', 'api', 'timeout', 'ignore_eos'];

/** Every cross-section problem of a scenario's plain data (`serving`: for the gateway, no bound needed). */
export function checkReferences(data: unknown, serving = false): RawIssue[] {
  const out: RawIssue[] = [];
  if (!isObj(data)) return out;
  const ids = checkModels(data, out);
  const idSet = new Set(ids);
  const refer = (path: DataPath, id: unknown, what: string) => {
    if (typeof id !== 'string' || idSet.has(id)) return;
    out.push({
      path,
      message: `${what} \`${id}\` is not a model of this scenario`,
      suggestion: didYouMean(id, ids) ?? (ids.length ? `models: ${ids.join(', ')}` : undefined),
    });
  };

  const router = isObj(data.router) ? data.router : {};
  const replicaCount =
    isObj(router.replicas) && typeof router.replicas.count === 'number' ? router.replicas.count : 1;
  const ab = router.ab_test;
  if (isObj(ab)) {
    refer(['router', 'ab_test', 'model_a'], ab.model_a, 'ab_test.model_a');
    refer(['router', 'ab_test', 'model_b'], ab.model_b, 'ab_test.model_b');
    if (typeof ab.model_a === 'string' && ab.model_a === ab.model_b) {
      out.push({ path: ['router', 'ab_test', 'model_b'], message: 'ab_test needs two different models' });
    }
  }

  list(data.events).forEach((e, i) => {
    if (!isObj(e)) return;
    const at: DataPath = ['events', i];
    const modelChanges = MODEL_CHANGE_KEYS.filter((k) => has(e, k));
    if (modelChanges.length === 0 && !ROUTER_CHANGE_KEYS.some((k) => has(e, k))) {
      out.push({
        path: at,
        message: `event changes nothing: give one or more of ${MODEL_CHANGE_KEYS.join(', ')} (with model), ${ROUTER_CHANGE_KEYS.join(' or ')}`,
      });
    }
    if (modelChanges.length > 0 && !has(e, 'model')) {
      out.push({ path: at, message: `event changes ${modelChanges.join(', ')} but names no \`model\`` });
    }
    if (has(e, 'model')) {
      if (modelChanges.length === 0) {
        out.push({
          path: [...at, 'model'],
          message: '`model` is only used with a model change (health, latency_factor, ...)',
          atKey: true,
        });
      }
      refer([...at, 'model'], e.model, 'event model');
    }
    if (has(e, 'add') && has(e, 'remove')) {
      out.push({ path: [...at, 'remove'], message: 'an event either adds or removes its model, not both' });
    }
    if (has(e, 'ab_split') && !isObj(ab)) {
      out.push({ path: [...at, 'ab_split'], message: 'ab_split needs router.ab_test', atKey: true });
    }
    if (isObj(e.router) && isObj(e.router.ab_test)) {
      refer([...at, 'router', 'ab_test', 'model_a'], e.router.ab_test.model_a, 'ab_test.model_a');
      refer([...at, 'router', 'ab_test', 'model_b'], e.router.ab_test.model_b, 'ab_test.model_b');
    }
    if (isObj(e.partition)) checkPartition(e.partition, [...at, 'partition'], replicaCount, out);
  });

  const drills = countFaults(data.events);
  const scope = metricScope(data);
  list(data.expect).forEach((x, i) => {
    if (!isObj(x)) return;
    const ops = EXPECT_OPS.filter((op) => has(x, op));
    if (ops.length === 0) {
      out.push({
        path: ['expect', i],
        message: `expectation needs a comparison: one of ${EXPECT_OPS.map((o) => `"${o}"`).join(', ')}`,
      });
    } else if (ops.length > 1) {
      out.push({ path: ['expect', i], message: `one comparison per expectation, got ${ops.join(' and ')}` });
    }
    if (typeof x.metric === 'string') {
      const m = checkMetric(x.metric, ids, drills, scope);
      if (!m.ok) out.push({ path: ['expect', i, 'metric'], message: m.message, suggestion: m.suggestion });
    }
  });

  const seen = new Set<string>();
  list(data.variants).forEach((v, i) => {
    if (!isObj(v) || typeof v.name !== 'string') return;
    if (seen.has(v.name))
      out.push({ path: ['variants', i, 'name'], message: `duplicate variant name \`${v.name}\`` });
    seen.add(v.name);
  });

  checkTraffic(data, out, serving);
  return out;
}

/** Engine models and load stages, as far as the plain data tells (the stage count needs the profile). */
function metricScope(data: Obj): MetricScope {
  const engineIds = list(data.models).flatMap((m) =>
    isObj(m) && typeof m.id === 'string' && isObj(m.engine) ? [m.id] : [],
  );
  const stages = isObj(data.traffic) && has(data.traffic, 'inference_perf') ? 'some' : 0;
  return { engineIds, stages };
}

/** A partition names replicas that exist (router.replicas.count, default 1). */
function checkPartition(p: Obj, at: DataPath, count: number, out: RawIssue[]): void {
  list(p.replicas).forEach((r, k) => {
    if (typeof r === 'number' && Number.isInteger(r) && r >= count) {
      out.push({
        path: [...at, 'replicas', k],
        message: `partition names replica ${r}, but router.replicas.count is ${count} (replicas are 0..${count - 1})`,
      });
    }
  });
}

/** Model-level checks; returns the model ids (strings only). */
function checkModels(data: Obj, out: RawIssue[]): string[] {
  const models = data.models;
  if (
    (models === undefined || (Array.isArray(models) && models.length === 0)) &&
    data.discover === undefined
  ) {
    out.push({
      path: models === undefined ? [] : ['models'],
      message: 'no models: a scenario needs at least one model under `models:`',
    });
    return [];
  }
  const ids: string[] = [];
  list(models).forEach((m, i) => {
    if (!isObj(m)) return;
    const at: DataPath = ['models', i];
    if (typeof m.id === 'string') {
      if (ids.includes(m.id)) out.push({ path: [...at, 'id'], message: `duplicate model id \`${m.id}\`` });
      else ids.push(m.id);
    }
    if (isObj(m.latency)) checkLatency(m.latency, [...at, 'latency'], out);
    if (isObj(m.engine)) checkEngine(m, at, out);
    if (m.backend === 'gguf' && !has(m, 'path')) {
      out.push({ path: [...at, 'backend'], message: 'a gguf model needs `path:` (the .gguf file)' });
    }
    if (m.backend === 'openai' && !has(m, 'url')) {
      out.push({ path: [...at, 'backend'], message: 'an openai model needs `url:` (the server base URL)' });
    }
    if (m.backend !== 'openai') {
      for (const k of OPENAI_KEYS) {
        if (has(m, k))
          out.push({
            path: [...at, k],
            message: `\`${k}\` is only for backend: openai`,
            suggestion: 'add `backend: openai`',
            atKey: true,
          });
      }
    }
    if (m.backend !== 'gguf') {
      for (const k of ['path', 'gpu', 'context_size']) {
        if (has(m, k))
          out.push({
            path: [...at, k],
            message: `\`${k}\` is only for backend: gguf`,
            suggestion: 'add `backend: gguf`',
            atKey: true,
          });
      }
    }
    if (isObj(m.cache)) {
      if (has(m.cache, 'hit_rate') && (has(m.cache, 'capacity_tokens') || has(m.cache, 'block_tokens'))) {
        out.push({
          path: [...at, 'cache'],
          message: 'cache is either { hit_rate } or { capacity_tokens, block_tokens }, not both',
        });
      } else if (has(m.cache, 'block_tokens') && !has(m.cache, 'capacity_tokens')) {
        out.push({
          path: [...at, 'cache', 'block_tokens'],
          message: 'block_tokens needs capacity_tokens',
          atKey: true,
        });
      }
    }
  });
  return ids;
}

/** A model entry with `engine:`: no `latency:` beside it, simulated only, one name for the block count. */
function checkEngine(m: Obj, at: DataPath, out: RawIssue[]): void {
  if (has(m, 'latency'))
    out.push({
      path: [...at, 'engine'],
      message: 'a model has either `latency:` or `engine:`, not both',
      atKey: true,
    });
  if (m.backend === 'gguf')
    out.push({
      path: [...at, 'engine'],
      message: '`engine:` simulates a serving engine: it is for backend sim, not gguf',
      atKey: true,
    });
  if (has(m, 'cache'))
    out.push({
      path: [...at, 'cache'],
      message:
        'an engine model caches prefixes in its own KV blocks (`engine: { prefix_caching }`), not `cache:`',
      atKey: true,
    });
  if (has(m, 'max_concurrency'))
    out.push({
      path: [...at, 'max_concurrency'],
      message: 'an engine model runs `engine: { max_num_seqs }` sequences at once, not max_concurrency',
      atKey: true,
    });
  const e = m.engine as Obj;
  if (has(e, 'kv_blocks') && has(e, 'num_gpu_blocks'))
    out.push({
      path: [...at, 'engine', 'num_gpu_blocks'],
      message: 'give kv_blocks or num_gpu_blocks, not both',
      atKey: true,
    });
}

function checkLatency(l: Obj, at: DataPath, out: RawIssue[]): void {
  const used = Object.entries(LATENCY_GROUPS).filter(([, keys]) => keys.some((k) => has(l, k)));
  if (used.length === 0) {
    if (Object.keys(l).length === 0) {
      out.push({
        path: at,
        message:
          'latency names no model: use { ttft, tpot }, { service }, { prefill_per_token, decode_step } or { profile }',
      });
    }
    return;
  }
  if (used.length > 1) {
    out.push({ path: at, message: `latency mixes models (${used.map(([n]) => n).join(' and ')}); use one` });
    return;
  }
  const [name] = used[0];
  if (name === 'ttft/tpot' && !(has(l, 'ttft') && has(l, 'tpot'))) {
    out.push({ path: at, message: 'the ttft/tpot latency model needs both `ttft` and `tpot`' });
  }
  if (name === 'continuous batching') {
    if (!has(l, 'prefill_per_token'))
      out.push({ path: at, message: 'continuous batching needs `prefill_per_token`' });
    if (has(l, 'decode_step') && has(l, 'decode_per_token')) {
      out.push({
        path: [...at, 'decode_per_token'],
        message: 'give decode_step or decode_per_token, not both',
        atKey: true,
      });
    } else if (!has(l, 'decode_step') && !has(l, 'decode_per_token')) {
      out.push({ path: at, message: 'continuous batching needs `decode_step`' });
    }
  }
}

function checkTraffic(data: Obj, out: RawIssue[], serving: boolean): void {
  const t = data.traffic;
  const bounded = serving || has(data, 'duration');
  if (!isObj(t)) {
    if (!bounded && t === undefined && Array.isArray(data.models) && data.models.length > 0) {
      out.push({ path: [], message: 'nothing bounds the run: set `duration` (or traffic.requests)' });
    }
    return;
  }
  if (has(t, 'inference_perf')) {
    for (const k of Object.keys(t)) {
      if (k !== 'inference_perf' && k !== 'client_timeout')
        out.push({
          path: ['traffic', k],
          message: `\`${k}\` does not go with inference_perf (the profile decides the traffic)`,
          atKey: true,
        });
    }
    return;
  }
  if (has(t, 'streams')) {
    for (const k of Object.keys(t)) {
      if (k !== 'streams')
        out.push({ path: ['traffic', k], message: `\`${k}\` goes inside one of the streams`, atKey: true });
    }
    const streams = list(t.streams);
    streams.forEach((s, i) => {
      if (isObj(s)) checkStream(s, ['traffic', 'streams', i], bounded, out);
    });
    return;
  }
  checkStream(t, ['traffic'], bounded, out);
}

function checkStream(s: Obj, at: DataPath, bounded: boolean, out: RawIssue[]): void {
  if (has(s, 'trace')) {
    for (const k of SYNTHETIC_KEYS) {
      if (has(s, k))
        out.push({
          path: [...at, k],
          message: `\`${k}\` is for synthetic traffic, not a trace`,
          atKey: true,
        });
    }
    if (has(s, 'speed') && has(s, 'target_rate')) {
      out.push({ path: [...at, 'target_rate'], message: 'give speed or target_rate, not both', atKey: true });
    }
    if (s.format === 'csv' && !has(s, 'columns')) {
      out.push({
        path: [...at, 'format'],
        message: 'format csv needs `columns:` (which column holds timestamp, prompt_tokens, output_tokens)',
      });
    }
    if (has(s, 'columns') && has(s, 'format') && s.format !== 'csv') {
      out.push({ path: [...at, 'columns'], message: '`columns` is only for format: csv', atKey: true });
    }
    if (s.loop === true && !bounded) {
      out.push({ path: [...at, 'loop'], message: 'a looping trace needs `duration` to end', atKey: true });
    }
    return;
  }
  for (const k of TRACE_KEYS) {
    if (has(s, k))
      out.push({
        path: [...at, k],
        message: `\`${k}\` is for a trace (add \`trace: FILE\`), not synthetic traffic`,
        atKey: true,
      });
  }
  if (!bounded && !has(s, 'requests')) {
    out.push({ path: at, message: 'synthetic traffic without `requests` needs a `duration` to end' });
  }
}
