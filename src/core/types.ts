/**
 * The domain types every layer shares: models, traffic, health (distributions are in
 * distributions/kinds.ts). The loaded scenario that holds them is scenario/types.ts. Units are normalised
 * on load: every time is milliseconds, every rate is per second, tokens are tokens. Each enumerated key has
 * its values listed once here (`as const`): its type comes from the list, and the scenario schema offers it.
 */
import type { Distribution } from './distributions/kinds.js';
import type { EngineSpec } from './engine-spec.js';

export const HEALTH_STATES = ['healthy', 'degraded', 'unhealthy'] as const;
/** What the router knows of a model's health (set by probes, outlier detection and timeline events). */
export type Health = (typeof HEALTH_STATES)[number];

export const MODEL_BACKENDS = ['sim', 'gguf', 'openai'] as const;
/** The endpoint an `openai` model is sent: `/chat/completions` or `/completions`. */
export const OPENAI_APIS = ['chat', 'completions'] as const;
/** GPU back-ends node-llama-cpp may use (`false`: CPU only). */
export const GGUF_GPUS = ['auto', 'cuda', 'vulkan'] as const;
export const ARRIVAL_PROCESSES = ['poisson', 'constant', 'gamma', 'diurnal', 'bursts', 'ramp'] as const;
export const SESSION_POPULARITIES = ['uniform', 'zipf'] as const;
export const TRACE_FORMATS = ['azure', 'mooncake', 'burstgpt', 'native', 'csv'] as const;
/** What a trace replay does with a malformed row: fail the run, or skip and count it. */
export const BAD_ROW_POLICIES = ['fail', 'skip'] as const;
/** Whether a model is in the router's pool when the run starts (`initially:`). */
export const PRESENCE_STATES = ['present', 'absent'] as const;

export type LatencyModel =
  /** Time to first token, then time per output token. */
  | { model: 'ttft_tpot'; ttft: Distribution; tpot: Distribution }
  /** Whole-request service time that ignores tokens (the textbook queue). */
  | { model: 'service'; service: Distribution }
  /** Continuous batching: each decode step slows as more sequences share the model. */
  | {
      model: 'batching';
      prefill_per_token_ms: number;
      decode_step_ms: number;
      /** Step time = decode_step_ms * (1 + slowdown * (running - 1)). */
      slowdown: number;
      max_batch: number;
    }
  /** Fitted by `routesim calibrate`; the file's contents, loaded. */
  | {
      model: 'profile';
      profile_path: string;
      prefill_ms_per_token: number;
      prefill_base_ms: number;
      decode_base_ms: number;
      decode_per_seq_ms: number;
    }
  /** A simulated serving engine (scenario `engine:`; backends/sim/vllm/). */
  | { model: 'engine'; engine: EngineSpec };

export type CacheModel =
  | { kind: 'none' }
  | { kind: 'fixed'; hit_rate: number }
  | { kind: 'prefix'; capacity_tokens: number; block_tokens: number };

export interface QuotaSpec {
  /** Infinity = no limit. Windows are fixed, aligned minutes from the start of the run. */
  tokens_per_minute: number;
  requests_per_minute: number;
  /** Share of the first window already spent, 0..1. */
  initial_used: number;
}

export interface GgufSpec {
  path: string;
  gpu: (typeof GGUF_GPUS)[number] | false;
  context_size: number;
}

/** An OpenAI-compatible HTTP endpoint (`backend: openai`). Never holds a key: only the variable's name. */
export interface OpenAISpec {
  /** Base URL as OpenAI clients take it (OPENAI_BASE_URL), e.g. http://127.0.0.1:8000/v1. */
  url: string;
  /** The `model` field sent (default: the entry's id). */
  api_model: string;
  /** Name of the environment variable holding the API key; null: no key sent. */
  api_key_env: string | null;
  api: (typeof OPENAI_APIS)[number];
  /** An attempt not finished after this long is a timeout (ms). */
  timeout_ms: number;
  /** Send ignore_eos / min_tokens so the server generates exactly the trace's output tokens. */
  ignore_eos: boolean;
}

export interface ModelSpec {
  id: string;
  backend: (typeof MODEL_BACKENDS)[number];
  max_concurrency: number;
  max_queue: number;
  latency: LatencyModel;
  cache: CacheModel;
  quota: QuotaSpec | null;
  health: Health;
  failure_rate: number;
  weight: number;
  cost_per_1k_tokens: number;
  context_length: number;
  capabilities: string[];
  gguf: GgufSpec | null;
  /** Set for backend 'openai' only (absent otherwise, so simulated entries read as before). */
  openai?: OpenAISpec;
  /**
   * 'absent': the model is not in the router's pool until an `add` event (it keeps its index; see
   * run/presence.ts). Absent key = present from the start.
   */
  initially?: (typeof PRESENCE_STATES)[number];
  /**
   * Why a gguf model cannot be served (its file is missing or fails the header check): it then starts
   * unhealthy and stays so.
   */
  load_problem?: string;
  /**
   * Simulated batching/profile models with the same device name never run steps at the same time (one
   * llama.cpp runtime's shared threads; backends/sim/device.ts). Absent: the model has its own device.
   */
  device?: string;
}

export interface ArrivalSpec {
  process: (typeof ARRIVAL_PROCESSES)[number];
  /** Mean rate, requests per second. */
  rate: number;
  /** Extra parameters of the non-basic processes (cv, period, peak, on/off...), normalised by the loader. */
  params: Record<string, number>;
}

export interface SessionSpec {
  count: number;
  popularity: (typeof SESSION_POPULARITIES)[number];
  zipf_s: number;
  turns: Distribution;
  think_time_ms: Distribution;
}

export interface SyntheticTraffic {
  kind: 'synthetic';
  arrivals: ArrivalSpec;
  /** Number of requests to generate (Infinity = until the horizon). */
  requests: number;
  prompt_tokens: Distribution;
  output_tokens: Distribution;
  sessions: SessionSpec | null;
  /** Tokens of a system prompt shared by every request (its full blocks get the same ids); default 0. */
  shared_prefix_tokens?: number;
  /** Tokens per prefix block on generated records; default 512. */
  block_tokens?: number;
  /** Tenant name put on each record when this stream is merged with others. */
  tenant?: string | null;
}

export interface TraceTraffic {
  kind: 'trace';
  path: string;
  format: (typeof TRACE_FORMATS)[number];
  speed: number;
  /** Target mean rate (req/s) instead of a speed factor; null = use speed. */
  target_rate: number | null;
  window: { start_ms: number; end_ms: number } | null;
  sample: number;
  loop: boolean;
  on_bad_row: (typeof BAD_ROW_POLICIES)[number];
  /** Column mapping for format: csv. */
  columns: Record<string, string> | null;
  tenant: string | null;
}

/** The load types an inference-perf profile may name. */
export const INFERENCE_PERF_LOADS = ['constant', 'poisson'] as const;

/** One stage of an inference-perf load: `rate` requests per second for `duration_s` seconds. */
export interface InferencePerfStage {
  rate: number;
  duration_s: number;
}

/** What routesim reads of an inference-perf profile (traffic/inference-perf/profile.ts). */
export interface InferencePerfProfile {
  /** The file it was read from (messages, the report). */
  file: string;
  data: {
    system_prompts: number;
    users_per_prompt: number;
    system_prompt_len: number;
    question_len: number;
    output_len: number;
    multi_turn: boolean;
  };
  load: { type: (typeof INFERENCE_PERF_LOADS)[number]; stages: InferencePerfStage[] };
  /** The client gives a request up after this long (300 s when the profile sets none). */
  request_timeout_s: number;
}

/** `traffic: { inference_perf: FILE }`: the workload of an inference-perf profile, in stages. */
interface InferencePerfTraffic {
  kind: 'inference_perf';
  profile: InferencePerfProfile;
}

export type Traffic =
  | SyntheticTraffic
  | TraceTraffic
  | InferencePerfTraffic
  | { kind: 'merge'; streams: (SyntheticTraffic | TraceTraffic)[] };
