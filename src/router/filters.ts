/**
 * The router's filters as bit flags, and the fallback order: which filters are in force at each level
 * (strict; then the load threshold relaxed; then degraded health too; then quota too). Unhealthy, context
 * length and capabilities are never relaxed. Also the rejection reason built from the flags that removed
 * models, and small helpers of the filter pass.
 */

/** Per-model filter flags for one decision. */
export const F_UNHEALTHY = 1;
export const F_DEGRADED = 2;
export const F_LOAD = 4;
export const F_QUOTA = 8;
export const F_CONTEXT = 16;
export const F_CAPS = 32;
export const F_TRIED = 64;
const HARD = F_UNHEALTHY | F_CONTEXT | F_CAPS;
/** Filters in force at each fallback level: strict, then load relaxed, then degraded, then quota. */
export const LEVEL_MASKS = [
  HARD | F_DEGRADED | F_LOAD | F_QUOTA,
  HARD | F_DEGRADED | F_QUOTA,
  HARD | F_QUOTA,
  HARD,
];
export const LEVEL_NOTES = [
  '',
  'fallback (load threshold relaxed): ',
  'fallback (load threshold and degraded health relaxed): ',
  'fallback (load threshold, degraded health and quota relaxed): ',
];
const FLAG_NAMES: [number, string][] = [
  [F_UNHEALTHY, 'unhealthy'],
  [F_DEGRADED, 'degraded'],
  [F_LOAD, 'load above max_load_threshold'],
  [F_QUOTA, 'quota exhausted'],
  [F_CONTEXT, 'context length too short'],
  [F_CAPS, 'missing capability'],
];

/** 'rejected: no eligible model (filtered out by: ...)' naming every filter that removed a model. */
export function rejectReason(mask: number): string {
  const causes = FLAG_NAMES.filter(([f]) => mask & f).map(([, name]) => name);
  return `rejected: no eligible model (filtered out by: ${causes.join(', ') || 'nothing'})`;
}

/** True when `have` contains every capability in `need`. */
export function hasAll(have: readonly string[], need: readonly string[]): boolean {
  for (let k = 0; k < need.length; k++) if (!have.includes(need[k])) return false;
  return true;
}
