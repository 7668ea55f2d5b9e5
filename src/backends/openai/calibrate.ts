/**
 * Calibration of an OpenAI-compatible endpoint: the same measurements and fit as a GGUF model's
 * (backends/gguf/calibrate.ts: prefill time against prompt length, decode step time against concurrent
 * streams), made through the OpenAIBackend a live run uses, so the profile describes the server as the
 * router sees it: prefill is TTFT with the HTTP round trip and the server's own queueing in it.
 */
import { UserError } from '../../core/errors.js';
import { defaultModelSpec } from '../../core/model-spec.js';
import type { OPENAI_APIS } from '../../core/types.js';
import {
  type CalibrateOptions,
  CollectingHost,
  checkOptions,
  fitProfile,
  measurePoints,
} from '../gguf/calibrate.js';
import type { ProfileFile } from '../gguf/profile.js';
import { OpenAIBackend } from './backend.js';

export interface UrlCalibrateOptions extends Omit<CalibrateOptions, 'gpu' | 'threads' | 'load_timeout_ms'> {
  api: (typeof OPENAI_APIS)[number];
  /** The `model` name sent; default the first model the server lists at GET /models. */
  api_model?: string;
  api_key?: string | null;
  /** Per attempt (ms, default 60 s). */
  timeout_ms?: number;
  /** Send ignore_eos / min_tokens (default true). */
  ignore_eos?: boolean;
}

/**
 * Measure the endpoint at `url` (a base URL, e.g. http://127.0.0.1:8000/v1) and return the fitted profile.
 * Throws UserError naming the URL when the server cannot be reached, names no model, or an attempt fails.
 */
export async function calibrateUrl(url: string, opts: UrlCalibrateOptions): Promise<ProfileFile> {
  checkOptions(opts);
  const at = (message: string) =>
    new UserError(`cannot calibrate ${url}`, [{ file: url, line: 0, column: 0, message }]);
  const key = opts.api_key ?? null;
  const model = opts.api_model ?? (await firstModel(url, key, at));
  const spec = defaultModelSpec(model, {
    backend: 'openai',
    max_concurrency: opts.max_seqs,
    max_queue: opts.max_seqs,
    openai: {
      url,
      api_model: model,
      api_key_env: null,
      api: opts.api,
      timeout_ms: opts.timeout_ms ?? 60_000,
      ignore_eos: opts.ignore_eos ?? true,
    },
  });
  const host = new CollectingHost();
  const backend = new OpenAIBackend(spec, host, { api_key: key });
  try {
    if (!(await backend.check()))
      throw at((backend.failure ?? 'the server did not answer').replace(`${url}: `, ''));
    opts.onProgress?.(`reached ${backend.device}`);
    const points = await measurePoints(backend, host, model, opts);
    return fitProfile(model, backend.device, points);
  } finally {
    await backend.close();
  }
}

/** The first model id of GET {url}/models (OpenAI's `{ data: [{ id }] }`). */
async function firstModel(
  url: string,
  key: string | null,
  at: (message: string) => UserError,
): Promise<string> {
  const models = `${url.replace(/\/+$/, '')}/models`;
  let res: Response;
  try {
    res = await fetch(models, {
      headers: key ? { authorization: `Bearer ${key}` } : {},
      signal: AbortSignal.timeout(10_000),
    });
  } catch (err) {
    // A server that is not there said "listed no model to measure", as if it had answered.
    const c = (err as { cause?: { code?: string; message?: string } }).cause;
    const cause = c?.code ?? c?.message ?? (err as Error).message;
    throw at(`GET ${models}: cannot reach the server (${cause}); is it running at that URL?`);
  }
  let body: unknown = null;
  try {
    body = res.ok ? await res.json() : null;
  } catch {
    body = null;
  }
  const data = (body as { data?: { id?: unknown }[] } | null)?.data;
  const id = Array.isArray(data) ? data.find((d) => typeof d?.id === 'string')?.id : undefined;
  if (typeof id !== 'string') {
    const why = res.ok ? 'listed no model to measure' : `answered HTTP ${res.status}`;
    throw at(`GET ${models} ${why}; name the model with --api-model`);
  }
  return id;
}
