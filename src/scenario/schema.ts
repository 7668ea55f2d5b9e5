/**
 * The scenario file as users write it (README.md, "The scenario file"): strict zod schemas, so an
 * unknown key is an error, with a description on every key for editors (`routesim schema`). Parsing
 * converts units (durations to ms, rates to per second) but fills no defaults and checks no cross
 * references: transform.ts and checks.ts do that, so every default lives in defaults.ts.
 */
import { z } from 'zod';
import * as E from '../core/engine-spec.js';
import * as L from '../core/limits.js';
import * as T from '../core/types.js';
import { eventSchema } from './events/index.js';
import { replicasSchema } from './replicas.js';
import { optionalShape, routingShape } from './routing.js';
import {
  countQuantity,
  duration,
  fraction,
  healthSchema,
  int,
  period,
  positiveDuration,
  positiveRate,
  quotaLimits,
  rate,
  timeQuantity,
} from './values.js';

const routerSchema = z
  .strictObject({
    ...optionalShape(routingShape()),
    signals: z
      .strictObject({
        refresh: duration(
          `How often the router sees fresh load, cache and quota figures; 0 = always, else at least ${L.MIN_PERIOD_MS}ms. Default 0ms.`,
        )
          .refine((v) => v === 0 || v >= L.MIN_PERIOD_MS, {
            message: `must be 0 (always fresh) or at least ${L.MIN_PERIOD_MS}ms`,
          })
          .optional(),
      })
      .optional()
      .describe('Staleness of what the router sees.'),
    replicas: replicasSchema,
    probes: z
      .strictObject({
        interval: period('Time between active health probes. Default 5s.').optional(),
        unhealthy_after: int(1)
          .optional()
          .describe('Failed probes in a row that mark a model unhealthy. Default 3.'),
        healthy_after: int(1)
          .optional()
          .describe('Passed probes in a row that mark it healthy again. Default 2.'),
      })
      .optional()
      .describe('Active health checks: how the router learns a model went down or came back.'),
    outlier_detection: z
      .strictObject({
        consecutive_failures: int(0)
          .optional()
          .describe('Failed attempts in a row that eject a model; 0 = off. Default 5.'),
        cooldown: duration('How long an ejected model stays out. Default 30s.').optional(),
        max_ejection_percent: z
          .number()
          .min(0)
          .max(100)
          .optional()
          .describe(
            'Never eject a model if more than this percentage of the pool would then be ejected (0..100). Default 100.',
          ),
      })
      .optional()
      .describe('Passive health checks: eject a model after repeated failures.'),
  })
  .describe('The router under test (RoutingConfig) and the simulator knobs around it.');

const latencySchema = z
  .strictObject({
    ttft: timeQuantity('Time to first token (with tpot).').optional(),
    tpot: timeQuantity('Time per output token after the first (with ttft).').optional(),
    service: timeQuantity('Whole-request service time that ignores tokens (the textbook queue).').optional(),
    prefill_per_token: duration('Continuous batching: prefill time per prompt token.').optional(),
    decode_step: duration('Continuous batching: time of one decode step with one sequence.').optional(),
    decode_per_token: duration('Same as decode_step.').optional(),
    slowdown: z
      .number()
      .min(0)
      .max(L.MAX_FACTOR)
      .optional()
      .describe(
        `Continuous batching: step time = decode_step * (1 + slowdown * (running - 1)). 0..${L.MAX_FACTOR}. Default 0.1.`,
      ),
    max_batch: int(1)
      .max(L.MAX_CONCURRENCY)
      .optional()
      .describe(
        `Continuous batching: sequences decoded together, 1..${L.MAX_CONCURRENCY}. Default max_concurrency.`,
      ),
    profile: z.string().min(1).optional().describe('A profile file written by `routesim calibrate`.'),
  })
  .describe(
    'One latency model: { ttft, tpot } | { service } | { prefill_per_token, decode_step, slowdown, max_batch } | { profile }.',
  );

const cacheSchema = z
  .strictObject({
    hit_rate: fraction('A fixed prefix-cache hit rate.').optional(),
    capacity_tokens: int(1)
      .max(L.MAX_CACHE_TOKENS)
      .optional()
      .describe(`Prefix cache: an LRU over token blocks, this many tokens (at most ${L.MAX_CACHE_TOKENS}).`),
    block_tokens: int(1)
      .max(L.MAX_TOKENS)
      .optional()
      .describe(`Prefix cache block size in tokens, 1..${L.MAX_TOKENS}. Default 16.`),
  })
  .describe('A fixed { hit_rate }, or a prefix LRU { capacity_tokens, block_tokens }; absent = no cache.');

/** An http(s) base URL with a host; what an OpenAI client takes as its base URL. */
const httpUrl = z
  .string()
  .refine(
    (v) => {
      try {
        const u = new URL(v);
        return (u.protocol === 'http:' || u.protocol === 'https:') && u.hostname !== '';
      } catch {
        return false;
      }
    },
    { message: 'expected an http:// or https:// base URL, e.g. http://127.0.0.1:8000/v1' },
  )
  .describe('openai: base URL of an OpenAI-compatible server, e.g. http://127.0.0.1:8000/v1 (required).');
const engineSchema = z
  .strictObject({
    kind: z.enum(E.ENGINE_KINDS).optional().describe('The serving engine simulated: vllm. Default vllm.'),
    model_config: z
      .string()
      .min(1)
      .describe('A Hugging Face config.json of the model served, relative to the scenario.'),
    gpu: z
      .string()
      .min(1)
      .optional()
      .describe(
        `A built-in GPU (h100-sxm) or a datasheet JSON file, relative to the scenario. Default ${E.DEFAULT_ENGINE_GPU}.`,
      ),
    tp: int(1)
      .max(E.MAX_TP)
      .optional()
      .describe(`Tensor-parallel GPUs serving one replica, 1..${E.MAX_TP}. Default ${E.DEFAULT_TP}.`),
    max_num_seqs: int(1)
      .max(L.MAX_CONCURRENCY)
      .optional()
      .describe(`Sequences running at once, 1..${L.MAX_CONCURRENCY}. Default ${E.DEFAULT_MAX_NUM_SEQS}.`),
    max_num_batched_tokens: int(1)
      .max(L.MAX_TOKENS)
      .optional()
      .describe(
        `Token budget of one step (decode tokens + prefill chunks), 1..${L.MAX_TOKENS}. Default ${E.DEFAULT_MAX_NUM_BATCHED_TOKENS}.`,
      ),
    max_model_len: int(1)
      .max(L.MAX_TOKENS)
      .optional()
      .describe(
        `Longest request (prompt + output tokens) served; longer ones are rejected with an error, 1..${L.MAX_TOKENS}. Default: the config's max_position_embeddings.`,
      ),
    gpu_memory_utilization: z
      .number()
      .gt(0)
      .max(1)
      .optional()
      .describe(
        `Share of GPU memory vLLM may use (weights, activations, KV cache), more than 0, at most 1. Default ${E.DEFAULT_GPU_MEMORY_UTILIZATION}.`,
      ),
    block_size: int(1)
      .max(E.MAX_KV_BLOCK_SIZE)
      .optional()
      .describe(`Tokens per paged KV block, 1..${E.MAX_KV_BLOCK_SIZE}. Default ${E.DEFAULT_KV_BLOCK_SIZE}.`),
    prefix_caching: z
      .boolean()
      .optional()
      .describe('Automatic prefix caching of full KV blocks (LRU over free blocks). Default true.'),
    kv_blocks: int(1)
      .max(L.MAX_CACHE_TOKENS)
      .optional()
      .describe('KV blocks the server has (vLLM num_gpu_blocks). Default: from GPU memory and the config.'),
    num_gpu_blocks: int(1).max(L.MAX_CACHE_TOKENS).optional().describe('Same as kv_blocks.'),
    coefficients: z
      .string()
      .min(1)
      .optional()
      .describe(
        'A shipped profile by name (h100-vllm: the H100 fit of data/vllm-h100) or a coefficients file written by `routesim calibrate --benchmark`, relative to the scenario. Default: the physics defaults.',
      ),
  })
  .describe(
    'A simulated serving engine (vLLM v1 scheduling, paged KV, prefix caching, roofline step time) instead of `latency:`.',
  );

const modelSchema = z
  .strictObject({
    id: z.string().min(1).describe('The model id the router and report use.'),
    backend: z
      .enum(T.MODEL_BACKENDS)
      .optional()
      .describe(
        'sim (simulated), gguf (a real model, llama.cpp) or openai (an OpenAI-compatible HTTP endpoint). Default sim.',
      ),
    max_concurrency: int(1)
      .max(L.MAX_CONCURRENCY)
      .optional()
      .describe(`Requests served at once (1..${L.MAX_CONCURRENCY}); the rest wait in the queue. Default 16.`),
    max_queue: int(0)
      .max(L.MAX_QUEUE)
      .optional()
      .describe(`Queued requests beyond which the model rejects, 0..${L.MAX_QUEUE}. Default 256.`),
    latency: latencySchema.optional(),
    engine: engineSchema.optional(),
    cache: cacheSchema.optional(),
    quota: z
      .strictObject({
        ...quotaLimits,
        initial_used: fraction('Share of the first window already spent. Default 0.').optional(),
      })
      .optional()
      .describe('Rate limits; over them the model answers rate-limited.'),
    health: healthSchema.optional().describe('Initial health. Default healthy.'),
    failure_rate: fraction('Probability that an attempt errors. Default 0.').optional(),
    weight: z.number().min(0).optional().describe('Weight for weighted_random. Default 1.'),
    cost_per_1k_tokens: z.number().min(0).optional().describe('Cost, for cost_based and reports. Default 0.'),
    context_length: int(1)
      .optional()
      .describe('Longest request (prompt + output tokens) it accepts. Default no limit.'),
    capabilities: z.array(z.string()).optional().describe('Capabilities requests may require. Default none.'),
    path: z.string().min(1).optional().describe('gguf: the model file, relative to the scenario.'),
    gpu: z
      .union([z.enum(T.GGUF_GPUS), z.literal(false)])
      .optional()
      .describe('gguf: auto | cuda | vulkan | false. Default auto.'),
    context_size: int(1).optional().describe('gguf: context size. Default context_length, else 4096.'),
    url: httpUrl.optional(),
    api_model: z
      .string()
      .min(1)
      .optional()
      .describe('openai: the `model` name sent to the server. Default the entry id.'),
    api_key_env: z
      .string()
      .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, {
        message: 'the NAME of an environment variable (letters, digits, _), not a key',
      })
      .optional()
      .describe(
        'openai: name of the environment variable holding the API key (never the key itself). Default: no key.',
      ),
    api: z
      .enum(T.OPENAI_APIS)
      .optional()
      .describe('openai: chat (/chat/completions) or completions (/completions). Default chat.'),
    timeout: positiveDuration(
      'openai: an attempt not finished after this long is a timeout. Default 60s.',
    ).optional(),
    ignore_eos: z
      .boolean()
      .optional()
      .describe(
        'openai: send ignore_eos and min_tokens (vLLM, SGLang) so exactly the trace output tokens are generated; false for servers that refuse unknown fields. Default true.',
      ),
    initially: z
      .enum(T.PRESENCE_STATES)
      .optional()
      .describe('absent: joins the pool only at an `add` event (model added mid-run). Default present.'),
  })
  .describe('A model behind the router.');

const arrivalsSchema = z
  .strictObject({
    process: z
      .enum(T.ARRIVAL_PROCESSES)
      .optional()
      .describe('poisson | constant | gamma (cv) | diurnal | bursts | ramp. Default poisson.'),
    rate: positiveRate('Mean request rate (for ramp: the rate reached). Default 10/s.').optional(),
    cv: z
      .number()
      .positive()
      .max(L.MAX_FACTOR)
      .optional()
      .describe(
        `gamma: coefficient of variation of the gaps, more than 0, at most ${L.MAX_FACTOR}. Default 1.`,
      ),
    period: positiveDuration('diurnal: length of one cycle. Default 24h.').optional(),
    phase: duration('diurnal: shift of the cycle (the trough is at t = 0). Default 0.').optional(),
    amplitude: z.number().min(0).lt(1).optional().describe('diurnal: swing, rate * (1 +- amplitude).'),
    peak_to_trough: z
      .number()
      .min(1)
      .max(L.MAX_FACTOR)
      .optional()
      .describe(`diurnal: peak rate / trough rate, 1..${L.MAX_FACTOR}. Default 3.`),
    on: positiveDuration('bursts: length of a burst. Default 10s.').optional(),
    off: duration('bursts: calm between bursts. Default 50s.').optional(),
    burst_factor: z
      .number()
      .min(1)
      .max(L.MAX_FACTOR)
      .optional()
      .describe(`bursts: burst rate / calm rate, 1..${L.MAX_FACTOR}. Default 5.`),
    from_rate: rate('ramp: the starting rate. Default 0.').optional(),
    ramp: positiveDuration('ramp: time to climb from from_rate to rate. Default 60s.').optional(),
  })
  .describe('How requests arrive.');

const sessionsSchema = z
  .strictObject({
    count: int(1).max(L.MAX_SESSIONS).describe(`Number of distinct sessions, 1..${L.MAX_SESSIONS}.`),
    popularity: z.enum(T.SESSION_POPULARITIES).optional().describe('How sessions are picked. Default zipf.'),
    zipf_s: z
      .number()
      .positive()
      .max(100)
      .optional()
      .describe('Zipf exponent, more than 0, at most 100. Default 1.'),
    turns: countQuantity(
      'Turns per conversation. Default { dist: geometric, mean: 4 }.',
      L.MAX_TURNS,
      'turns',
    ).optional(),
    think_time: timeQuantity('Time between turns. Default 10s.').optional(),
  })
  .describe('Multi-turn sessions: affinity and prefix sharing come out of these.');

const syntheticShape = {
  arrivals: arrivalsSchema.optional(),
  requests: int(0)
    .max(L.MAX_REQUESTS)
    .optional()
    .describe(`Requests to generate, 0..${L.MAX_REQUESTS}. Default: until the horizon.`),
  prompt_tokens: countQuantity(
    'Prompt length in tokens. Default { dist: lognormal, median: 512, p99: 4096 }.',
  ).optional(),
  output_tokens: countQuantity(
    'Output length in tokens. Default { dist: exponential, mean: 256 }.',
  ).optional(),
  sessions: sessionsSchema.optional(),
  shared_prefix_tokens: int(0)
    .max(L.MAX_TOKENS)
    .optional()
    .describe(
      `Tokens of a system prompt every request shares (prefix-cache hits), 0..${L.MAX_TOKENS}. Default 0.`,
    ),
  block_tokens: int(1)
    .max(L.MAX_TOKENS)
    .optional()
    .describe(`Tokens per prefix block on generated requests, 1..${L.MAX_TOKENS}. Default 512.`),
};

const traceShape = {
  trace: z.string().min(1).optional().describe('A recorded trace, relative to the scenario file.'),
  format: z
    .enum(T.TRACE_FORMATS)
    .optional()
    .describe('azure | mooncake | burstgpt | native | csv. Default: native for .jsonl files.'),
  speed: z
    .number()
    .min(1 / L.MAX_SPEED)
    .max(L.MAX_SPEED)
    .optional()
    .describe(`Replay speed factor (2 = twice as fast), ${1 / L.MAX_SPEED}..${L.MAX_SPEED}. Default 1.`),
  target_rate: positiveRate('Rescale time so the mean rate is this (instead of speed).').optional(),
  window: z
    .strictObject({
      start: duration('Start of the slice of the trace. Default 0.').optional(),
      end: duration('End of the slice. Default: the end of the trace.').optional(),
    })
    .optional()
    .describe('Replay only a time window of the trace.'),
  sample: z.number().gt(0).max(1).optional().describe('Fraction of rows kept, at random. Default 1.'),
  loop: z.boolean().optional().describe('Start over at the end (needs duration). Default false.'),
  on_bad_row: z
    .enum(T.BAD_ROW_POLICIES)
    .optional()
    .describe('A malformed row fails the run, or is skipped and counted. Default fail.'),
  columns: z
    .record(z.string(), z.string())
    .optional()
    .describe('format csv: which column holds each field (timestamp, prompt_tokens, output_tokens, ...).'),
};

const streamSchema = z
  .strictObject({
    ...syntheticShape,
    ...traceShape,
    tenant: z
      .string()
      .min(1)
      .optional()
      .describe('Name of this stream in the report. Default: the file name or stream-N.'),
  })
  .describe('Synthetic traffic, or a trace (`trace:`); one stream.');

const trafficSchema = z
  .strictObject({
    ...streamSchema.shape,
    streams: z
      .array(streamSchema)
      .min(1)
      .optional()
      .describe('Several streams merged by time, each as a tenant.'),
    inference_perf: z
      .string()
      .min(1)
      .optional()
      .describe(
        'An inference-perf profile (profile.yaml, relative to the scenario file): its shared_prefix data and constant or poisson load stages; the report gains per-stage latency.',
      ),
    client_timeout: duration(
      'The client gives up on a request still unfinished this long after it arrived (its attempt is cancelled; it counts as failed and timed out). 0 or absent = never.',
    ).optional(),
  })
  .describe(
    'Synthetic traffic (arrivals, requests, ...), a recorded trace (trace: path), or streams: [...] to merge.',
  );

export const EXPECT_OPS = ['<', '<=', '>', '>=', '==', '!='] as const;

const expectSchema = z
  .strictObject({
    metric: z.string().min(1).describe('A report metric, e.g. latency.e2e_ms.p99 or models.<id>.share.'),
    ...Object.fromEntries(
      EXPECT_OPS.map((op) => [op, z.number().optional().describe(`Holds when metric ${op} value.`)]),
    ),
  })
  .describe('An assertion for CI: { metric: requests.failed, "==": 0 }.');

const variantSchema = z
  .strictObject({
    name: z.string().min(1).describe('Variant name in compare reports.'),
    overrides: z
      .record(z.string(), z.unknown())
      .optional()
      .describe(
        'Dotted keys to values, e.g. { router.strategy: cache_aware, models.llama-70b.max_concurrency: 8 }.',
      ),
  })
  .describe('A named configuration to compare.');

export const scenarioSchema = z
  .strictObject({
    name: z.string().min(1).optional().describe('Scenario name. Default: the file name.'),
    description: z.string().optional().describe('What the scenario is about.'),
    seed: z
      .number()
      .int()
      .min(Number.MIN_SAFE_INTEGER)
      .max(Number.MAX_SAFE_INTEGER)
      .optional()
      .describe('Seed of every random stream, a whole number within +-2^53. Default 1.'),
    duration: duration(
      'Simulated horizon; traffic may end sooner. Default: until the traffic ends.',
    ).optional(),
    router: routerSchema.optional(),
    models: z.array(modelSchema).optional().describe('The models behind the router (at least one).'),
    discover: z
      .string()
      .min(1)
      .optional()
      .describe(
        'A folder of .gguf files: each becomes a gguf model (id from the file name), after `models:`.',
      ),
    traffic: trafficSchema.optional(),
    events: z.array(eventSchema).optional().describe('A timeline of faults and changes.'),
    expect: z.array(expectSchema).optional().describe('Assertions checked by `routesim check` and `run`.'),
    variants: z.array(variantSchema).optional().describe('Named config overrides for compare and sweep.'),
    timeline: z
      .strictObject({
        interval: period(
          `Bucket width of the report timeline; at most ${L.MAX_TIMELINE_BUCKETS} buckets over the run. Default 1s.`,
        ).optional(),
      })
      .optional()
      .describe('The report timeline.'),
  })
  .describe('A routesim scenario: models, a router, traffic, events and expectations.');

/** A scenario file after parsing: units converted, optional keys still optional. */
export type RawScenario = z.output<typeof scenarioSchema>;
export type RawModel = z.output<typeof modelSchema>;
export type RawEngine = z.output<typeof engineSchema>;
export type RawTrafficStream = z.output<typeof streamSchema>;
