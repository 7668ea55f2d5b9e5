/** Reading `arrivals.params` with defaults and loud errors. */
import type { ArrivalSpec } from '../../core/types.js';

/** A parameter of `arrivals.params`, or its default; throws when present but not a finite number. */
export function param(spec: ArrivalSpec, key: string, fallback?: number): number {
  const v = spec.params?.[key];
  if (v === undefined) {
    if (fallback === undefined) throw new RangeError(`arrivals.${spec.process}: params.${key} is required`);
    return fallback;
  }
  if (typeof v !== 'number' || !Number.isFinite(v)) {
    throw new RangeError(`arrivals.${spec.process}: params.${key} must be a finite number, got ${v}`);
  }
  return v;
}
