/**
 * The client's types (client.ts re-exports them): where a call goes, its options, what it reads and what
 * it comes to.
 */
import type { OPENAI_APIS } from '../../core/types.js';
import type { OutcomeKind } from '../../router/types.js';
import type { Limiter } from './limiter.js';

export type OpenAIApi = (typeof OPENAI_APIS)[number];

/** Where requests go. */
export interface UpstreamTarget {
  /** Base URL as OpenAI clients take it (OPENAI_BASE_URL), e.g. http://127.0.0.1:8000/v1. */
  url: string;
  api: OpenAIApi;
  /** Sent as `Authorization: Bearer …` when set. */
  api_key?: string | null;
}

export interface UpstreamOptions {
  /** The whole call (headers and body) must end within this; past it the outcome is 'timeout'. */
  timeout_ms?: number;
  /** The caller's cancel (e.g. its own client went away): the outcome is 'error', detail 'aborted'. */
  signal?: AbortSignal;
  /** Holds one slot for the call's whole life, bounding the connections open to the server. */
  limiter?: Limiter;
  /** Extra request headers. */
  headers?: Record<string, string>;
}

/** A failure known from the response headers or the connection, before any body was read. */
export interface UpstreamFailure {
  kind: Exclude<OutcomeKind, 'ok' | 'rejected'>;
  /** e.g. "HTTP 503: overloaded", "connection refused", "timed out after 2000 ms". */
  detail: string;
  /** The server's Retry-After (or retry-after-ms), in ms from now; null when it gave none. */
  retry_after_ms: number | null;
}

/** One upstream message, as it arrived. */
export interface UpstreamEvent {
  /** The SSE `data:` payload ("[DONE]" included); for a non-streamed response, the whole body. */
  data: string;
  /** `data` parsed as JSON; null for "[DONE]" or what is not JSON. */
  json: unknown;
  /** Choices in this message that carry generated text (0 for role-only and usage-only chunks). */
  tokens: number;
  /** Arrival, ms since the call began. */
  t_ms: number;
}

export interface Usage {
  prompt_tokens: number;
  completion_tokens: number;
}

/** What one call came to. */
export interface UpstreamResult {
  kind: OutcomeKind;
  /** HTTP status; 0 when no response came. */
  status: number;
  detail?: string;
  retry_after_ms: number | null;
  /** Waiting for a Limiter slot (ms). */
  queue_ms: number;
  /** Call start to the first chunk with generated text (for a non-streamed response: to its body); NaN if none. */
  ttft_ms: number;
  /** Call start to the end of the response. */
  e2e_ms: number;
  /** Gaps between successive chunks with generated text (ms). */
  itl_ms: number[];
  /** usage.completion_tokens when the server sent usage, else the chunks with generated text. */
  output_tokens: number;
  /** usage.prompt_tokens; NaN when the server sent no usage. */
  prompt_tokens: number;
  tokens_from: 'usage' | 'chunks';
  usage: Usage | null;
  /** Chunks with generated text. */
  chunks: number;
}
