/**
 * The grid of a sweep: `--set key=v1,v2` axes, their cartesian product as variants (first axis slowest,
 * so variant order is the order of the axes as written), and a name per variant. Values stay the text the
 * user typed: the loader reads them as YAML scalars and validates them like the file itself.
 */
import { UserError } from '../../core/errors.js';
import type { Variant } from '../compare/cells.js';

/** One `--set` flag: a dotted override key and the values it takes, in order. */
export interface Axis {
  key: string;
  values: string[];
}

/** A variant of a sweep: its overrides, and its value on each axis (coords[i] is axes[i]'s value). */
export interface GridVariant extends Variant {
  coords: string[];
}

/** Splits on commas outside brackets and quotes, so `--set x=[a,b],[c]` has two values. */
export function splitValues(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let quote = '';
  let cur = '';
  for (const ch of text) {
    if (quote) {
      if (ch === quote) quote = '';
    } else if (ch === '"' || ch === "'") quote = ch;
    else if (ch === '[' || ch === '{') depth++;
    else if (ch === ']' || ch === '}') depth--;
    else if (ch === ',' && depth === 0) {
      out.push(cur.trim());
      cur = '';
      continue;
    }
    cur += ch;
  }
  out.push(cur.trim());
  return out;
}

/**
 * Parses `--set` flags into axes. Throws UserError (exit 2) naming the flag for a missing `=`, an empty
 * value, a key set twice or a value listed twice on one axis.
 */
export function parseAxes(sets: readonly string[]): Axis[] {
  if (sets.length === 0) {
    throw new UserError('sweep needs at least one --set key=v1,v2 axis', [
      {
        file: '--set',
        line: 0,
        column: 0,
        message: 'no axis given',
        suggestion: 'e.g. --set router.strategy=least_loaded,cache_aware',
      },
    ]);
  }
  const axes: Axis[] = [];
  const problems: string[] = [];
  for (const s of sets) {
    const eq = s.indexOf('=');
    const key = eq > 0 ? s.slice(0, eq).trim() : '';
    if (!key) {
      problems.push(`--set ${s}: expected key=v1,v2 (e.g. router.strategy=least_loaded,cache_aware)`);
      continue;
    }
    const values = splitValues(s.slice(eq + 1));
    if (values.some((v) => v === '')) {
      problems.push(`--set ${key}: an empty value in "${s.slice(eq + 1)}"`);
      continue;
    }
    if (new Set(values).size !== values.length) {
      problems.push(`--set ${key}: a value is listed twice in "${s.slice(eq + 1)}"`);
      continue;
    }
    if (axes.some((a) => a.key === key)) {
      problems.push(`--set ${key}: the key is set twice; list all its values in one --set`);
      continue;
    }
    axes.push({ key, values });
  }
  if (problems.length > 0) {
    throw new UserError(
      problems.length === 1 ? problems[0] : `${problems.length} problems in --set`,
      problems.map((message) => ({ file: '--set', line: 0, column: 0, message })),
    );
  }
  return axes;
}

/** The variant name: `key=value` per axis, joined with a space (unique because coords are). */
function variantName(axes: readonly Axis[], coords: readonly string[]): string {
  return axes.map((a, i) => `${a.key}=${coords[i]}`).join(' ');
}

/** The cartesian product of the axes, first axis slowest: variants[i] for i in 0..product-1. */
export function gridVariants(axes: readonly Axis[]): GridVariant[] {
  let combos: string[][] = [[]];
  for (const a of axes) combos = combos.flatMap((c) => a.values.map((v) => [...c, v]));
  return combos.map((coords) => ({
    name: variantName(axes, coords),
    coords,
    overrides: Object.fromEntries(axes.map((a, i) => [a.key, coords[i]])),
  }));
}
