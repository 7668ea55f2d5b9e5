/**
 * The simulated backends' fixed behaviour, one place. Each constant is a modelling choice the report's
 * reader may need to know; change it here, not in the code that uses it.
 */

/** An unhealthy model accepts an attempt and errors it this long after (a fast 503 / connection refused). */
export const UNHEALTHY_ERROR_MS = 5;

/** A degraded model runs every sampled time (ttft, tpot, service, prefill, decode step) this much slower. */
export const DEGRADED_SLOWDOWN = 2;

/** A `fixed` cache hit serves this share of the prompt from cache (floor of prompt_tokens × share). */
export const FIXED_HIT_PROMPT_SHARE = 0.8;

/**
 * For the `ttft_tpot` model the sampled ttft stands for a whole-prompt prefill; a cached share f of the
 * prompt shortens it to ttft × (1 − CACHED_TTFT_SAVING × f). The rest is scheduling and the first decode.
 */
export const CACHED_TTFT_SAVING = 0.9;

/** Quota windows: fixed, one minute long, aligned to t = 0 of the run. */
export const QUOTA_WINDOW_MS = 60_000;

/** Observed cache hit rate = EWMA over cache lookups of (cached_tokens > 0), with this weight per lookup. */
export const HIT_RATE_EWMA_ALPHA = 0.02;
