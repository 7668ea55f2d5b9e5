/**
 * The OpenAI HTTP API as the gateway speaks it: what a request body may hold (zod), what the router needs
 * of it (tokens, session, the model asked for), and the shapes written back (chat.completion,
 * text_completion, their streamed chunks, and `{ error: { message, type, param, code } }` bodies).
 * Fields the gateway does not act on (temperature, tools, ...) are accepted and ignored, as vLLM does.
 */
import { z } from 'zod';

export type ApiKind = 'chat' | 'completions';

/** Output tokens when a request sets no max_tokens (OpenAI's own default for /v1/completions). */
const DEFAULT_MAX_TOKENS = 16;
/** Largest max_tokens accepted. */
const MAX_TOKENS_LIMIT = 1_000_000;
/** Characters per prompt token when counting a prompt without a tokenizer (the usual English ratio). */
const CHARS_PER_TOKEN = 4;

const contentPart = z.looseObject({ type: z.string(), text: z.string().optional() });
const message = z.looseObject({
  role: z.string(),
  content: z.union([z.string(), z.array(contentPart), z.null()]).optional(),
});
const tokens = z.number().int().min(1).max(MAX_TOKENS_LIMIT);
const common = {
  model: z.string().min(1),
  stream: z.boolean().nullish(),
  stream_options: z.looseObject({ include_usage: z.boolean().optional() }).nullish(),
  max_tokens: tokens.nullish(),
  user: z.string().nullish(),
};
const chatBody = z.looseObject({
  ...common,
  messages: z.array(message).min(1),
  max_completion_tokens: tokens.nullish(),
});
const promptText = z.union([
  z.string(),
  z.array(z.string()).min(1),
  z.array(z.number().int()).min(1),
  z.array(z.array(z.number().int())).min(1),
]);
const completionsBody = z.looseObject({ ...common, prompt: promptText });

/** A request body, reduced to what the gateway acts on. */
export interface ApiRequest {
  kind: ApiKind;
  model: string;
  stream: boolean;
  include_usage: boolean;
  prompt_tokens: number;
  /** Output tokens asked for (max_tokens, max_completion_tokens, else DEFAULT_MAX_TOKENS). */
  max_tokens: number;
  user: string | undefined;
  /** The body as sent (a proxied request forwards it). */
  body: Record<string, unknown>;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly type: string,
    readonly param: string | null = null,
    readonly code: string | null = null,
  ) {
    super(message);
  }
}

/** Parses a JSON body for `kind`; throws ApiError 400 naming the first bad field. */
export function parseRequest(kind: ApiKind, body: unknown): ApiRequest {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw new ApiError(400, 'the request body must be a JSON object', 'invalid_request_error');
  const parsed = (kind === 'chat' ? chatBody : completionsBody).safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const param = issue.path.map(String).join('.') || null;
    const msg =
      issue.code === 'invalid_type' && issue.input === undefined
        ? `'${param}' is a required property`
        : `${param ?? 'body'}: ${issue.message}`;
    throw new ApiError(400, msg, 'invalid_request_error', param);
  }
  const b = parsed.data;
  const maxTokens =
    (kind === 'chat' ? (b as z.infer<typeof chatBody>).max_completion_tokens : null) ??
    b.max_tokens ??
    DEFAULT_MAX_TOKENS;
  const prompt =
    kind === 'chat'
      ? chatPromptTokens((b as z.infer<typeof chatBody>).messages)
      : completionPromptTokens((b as z.infer<typeof completionsBody>).prompt);
  return {
    kind,
    model: b.model,
    stream: b.stream === true,
    include_usage: b.stream_options?.include_usage === true,
    prompt_tokens: prompt,
    max_tokens: maxTokens,
    user: b.user ?? undefined,
    body: body as Record<string, unknown>,
  };
}

function textTokens(chars: number): number {
  return Math.max(1, Math.ceil(chars / CHARS_PER_TOKEN));
}

function chatPromptTokens(messages: z.infer<typeof message>[]): number {
  let chars = 0;
  for (const m of messages) {
    const c = m.content;
    if (typeof c === 'string') chars += c.length;
    else if (Array.isArray(c)) for (const p of c) chars += p.text?.length ?? 0;
  }
  return textTokens(chars);
}

function completionPromptTokens(p: z.infer<typeof promptText>): number {
  if (typeof p === 'string') return textTokens(p.length);
  if (typeof p[0] === 'string') return textTokens((p as string[]).reduce((s, x) => s + x.length, 0));
  if (typeof p[0] === 'number') return p.length;
  return (p as number[][]).reduce((s, x) => s + x.length, 0);
}

/** The JSON body of an error response. */
export function errorBody(e: ApiError): string {
  return JSON.stringify({ error: { message: e.message, type: e.type, param: e.param, code: e.code } });
}

/** The placeholder text of output token k (0-based) of a simulated or gguf answer. */
export function tokenText(k: number): string {
  return k === 0 ? 'token' : ' token';
}

export interface Usage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
}

export function usageOf(prompt: number, completion: number): Usage {
  return { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion };
}

/** What every chunk and answer of one response shares. */
export interface ResponseHead {
  kind: ApiKind;
  id: string;
  created: number;
  model: string;
}

/** One streamed chunk (`data: {...}`): a delta of text, or the last one with finish_reason, or usage only. */
export function chunkJson(
  h: ResponseHead,
  text: string | null,
  finish: string | null,
  usage: Usage | null,
  first = false,
): string {
  const choices =
    text === null && finish === null
      ? []
      : h.kind === 'chat'
        ? [
            {
              index: 0,
              delta: text === null ? {} : first ? { role: 'assistant', content: text } : { content: text },
              logprobs: null,
              finish_reason: finish,
            },
          ]
        : [{ index: 0, text: text ?? '', logprobs: null, finish_reason: finish }];
  const obj = h.kind === 'chat' ? 'chat.completion.chunk' : 'text_completion';
  return JSON.stringify({
    id: h.id,
    object: obj,
    created: h.created,
    model: h.model,
    choices,
    ...(usage !== null ? { usage } : {}),
  });
}

/** A whole (non-streamed) answer. */
export function answerJson(h: ResponseHead, text: string, finish: string, usage: Usage): string {
  const choice =
    h.kind === 'chat'
      ? { index: 0, message: { role: 'assistant', content: text }, logprobs: null, finish_reason: finish }
      : { index: 0, text, logprobs: null, finish_reason: finish };
  return JSON.stringify({
    id: h.id,
    object: h.kind === 'chat' ? 'chat.completion' : 'text_completion',
    created: h.created,
    model: h.model,
    choices: [choice],
    usage,
  });
}
