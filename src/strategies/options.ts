/**
 * Helpers for strategy builders to validate their own options. Every error names the strategy and the
 * field (`strategy_options.<key>`) and says what is allowed.
 */
import { RoutingConfigError } from '../router/errors.js';

/** Throws when `options` has keys outside `allowed` (typos should not pass silently). */
export function checkKeys(name: string, options: Record<string, unknown>, allowed: readonly string[]): void {
  for (const key of Object.keys(options)) {
    if (!allowed.includes(key)) {
      const list = allowed.length ? allowed.join(', ') : 'none';
      throw new RoutingConfigError(
        `strategy_options.${key}`,
        `${name}: unknown option strategy_options.${key} (allowed: ${list})`,
      );
    }
  }
}

/** Reads a number option in [min, max] with a default. */
export function numberOption(
  name: string,
  options: Record<string, unknown>,
  key: string,
  fallback: number,
  min: number,
  max: number,
): number {
  const v = options[key];
  if (v === undefined) return fallback;
  if (typeof v !== 'number' || Number.isNaN(v) || v < min || v > max) {
    throw new RoutingConfigError(
      `strategy_options.${key}`,
      `${name}: strategy_options.${key} must be a number in ${min}..${max}, got ${JSON.stringify(v)}`,
    );
  }
  return v;
}
