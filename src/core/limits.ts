/**
 * The largest inputs a run honours, in one place. A scenario that validates runs to a complete report, so
 * every number a user can type has a range whose far end a run can still simulate in bounded memory; the
 * loader refuses anything beyond (exit 2, with the limit in the message) and `routesim schema` states each
 * limit in the key's description. Each is far beyond any real deployment; none moves a report.
 */

/** Any simulated time: a duration, an event's `at`, a trace timestamp after speed, a time's mean/p99 (1 year). */
export const MAX_TIME_MS = 365 * 86_400_000;
/** Any rate, requests per second. */
export const MAX_RATE_PER_S = 1_000_000;
/** A request's prompt or output tokens (a draw, a fixed value, a distribution's mean or p99). */
export const MAX_TOKENS = 10_000_000;
/** Requests one run may create: `requests`, or the arrival rate x the horizon. */
export const MAX_REQUESTS = 100_000_000;
/** Periodic events one run may schedule (health probes, signal refreshes) over its horizon. */
export const MAX_PERIODIC_EVENTS = 100_000_000;
/** Most buckets a timeline holds (one run, any number of models up to TIMELINE_CELLS / this). */
export const MAX_TIMELINE_BUCKETS = 4096;
/** Most buckets × models a timeline holds: per-model series dominate a many-model report's size. */
export const MAX_TIMELINE_CELLS = 1 << 20;
/** Fewest buckets the cap allows, however many models there are. */
export const MIN_TIMELINE_BUCKETS = 256;

/**
 * The bucket cap of a run with `models` models: MAX_TIMELINE_BUCKETS up to 256 models, then
 * MAX_TIMELINE_CELLS / models, never below MIN_TIMELINE_BUCKETS. A user-set `timeline.interval` whose
 * horizon needs more buckets than this is a validation error (scenario/budget.ts); metrics/timebase.ts
 * coarsens to stay within it.
 */
export function timelineBucketCap(models: number): number {
  const byCells = Math.floor(MAX_TIMELINE_CELLS / Math.max(1, models));
  return Math.max(MIN_TIMELINE_BUCKETS, Math.min(MAX_TIMELINE_BUCKETS, byCells));
}

/** The shortest period of anything periodic (probe interval, timeline interval, signal refresh), ms. */
export const MIN_PERIOD_MS = 1;
/** Requests a model serves at once (slots, batch size). */
export const MAX_CONCURRENCY = 100_000;
/** Router replicas side by side (`router.replicas.count`). */
export const MAX_REPLICAS = 256;
/** Tokens a prefix cache may hold. */
export const MAX_CACHE_TOKENS = 1_000_000_000_000;
/** Requests a model may hold in its queue. */
export const MAX_QUEUE = 10_000_000;
/** Distinct sessions of a stream (the popularity table holds one entry each). */
export const MAX_SESSIONS = 10_000_000;
/** Turns of a conversation (a distribution's mean or p99). */
export const MAX_TURNS = 10_000;
/** A multiplier of latency (`latency_factor`, batching `slowdown`). */
export const MAX_FACTOR = 1_000;
/** A trace replay speed, either way (1/MAX_SPEED .. MAX_SPEED). */
export const MAX_SPEED = 1_000_000;
/** Longest line of a trace file (a record per line; a file without newlines is not a trace). */
export const MAX_TRACE_LINE_BYTES = 16 * 1024 * 1024;
/** A scenario file's size in bytes (inline samples included; sample files and traces are read apart). */
export const MAX_SCENARIO_BYTES = 8 * 1024 * 1024;
/** Nesting of mappings and lists in a scenario file (the deepest real scenario has 7). */
export const MAX_SCENARIO_DEPTH = 64;

/** 31536000000 ms -> "365d": a limit in the unit a user writes. */
export function showMs(ms: number): string {
  if (ms % 86_400_000 === 0) return `${ms / 86_400_000}d`;
  if (ms % 1000 === 0) return `${ms / 1000}s`;
  return `${ms}ms`;
}
