/**
 * Zod issues -> the loader's messages: "expected an integer, got string \"abc\"", "unknown key `stratgy`"
 * with a "did you mean", "expected one of poisson, constant, ...". A union that failed is reported from the
 * branch the user evidently meant (the one whose errors are not "wrong type at the top").
 */
import type { z } from 'zod';
import { describe } from './durations.js';
import type { DataPath } from './positions.js';
import { didYouMean } from './suggest.js';

/** A problem before positions are attached. `atKey` places it on the key rather than the value. */
export interface RawIssue {
  path: DataPath;
  message: string;
  suggestion?: string;
  atKey?: boolean;
}

type Issue = z.core.$ZodIssue;
type AnySchema = z.core.$ZodType;

const TYPE_NAMES: Record<string, string> = {
  number: 'a number',
  int: 'an integer',
  string: 'a string',
  boolean: 'true or false',
  array: 'a list',
  object: 'a mapping',
  record: 'a mapping',
};

/** Converts every zod issue (unions resolved, one issue per unknown key). */
export function fromZodIssues(issues: readonly Issue[], root: AnySchema, base: DataPath = []): RawIssue[] {
  const out: RawIssue[] = [];
  for (const iss of issues) convert(iss, root, base, out);
  return out;
}

function convert(iss: Issue, root: AnySchema, base: DataPath, out: RawIssue[]): void {
  const path = [...base, ...(iss.path as DataPath)];
  const input = (iss as { input?: unknown }).input;
  if (input === undefined && (iss.code === 'invalid_type' || iss.code === 'invalid_union') && !hasNote(iss)) {
    out.push({ path, message: `missing required key \`${String(path[path.length - 1])}\`` });
    return;
  }
  switch (iss.code) {
    case 'unrecognized_keys': {
      const allowed = allowedKeys(root, path);
      for (const key of iss.keys) {
        out.push({
          path: [...path, key],
          message: `unknown key \`${key}\``,
          suggestion:
            didYouMean(key, allowed) ?? (allowed.length ? `allowed: ${allowed.join(', ')}` : undefined),
          atKey: true,
        });
      }
      return;
    }
    case 'invalid_type': {
      const numeric = iss.expected === 'number' || iss.expected === 'int' ? numberAt(root, path) : null;
      const expected = numeric?.integer ? TYPE_NAMES.int : (TYPE_NAMES[iss.expected] ?? iss.expected);
      out.push({
        path,
        message: `expected ${expected}${numeric?.range ?? ''}, got ${describe(input)}`,
        suggestion: typeSuggestion(iss.expected, input),
      });
      return;
    }
    case 'invalid_value': {
      const values = iss.values.map((v) => String(v));
      out.push({
        path,
        message: `expected ${values.length === 1 ? values[0] : `one of ${values.join(', ')}`}, got ${describe(input)}`,
        suggestion: typeof input === 'string' ? didYouMean(input, values) : undefined,
      });
      return;
    }
    case 'too_small':
    case 'too_big': {
      const bound = iss.code === 'too_small' ? iss.minimum : iss.maximum;
      if (iss.origin === 'array') {
        out.push({ path, message: `needs at least ${bound} item${bound === 1 ? '' : 's'}` });
      } else if (iss.origin === 'string') {
        out.push({ path, message: 'must not be empty' });
      } else {
        const op = iss.code === 'too_small' ? (iss.inclusive ? '>=' : '>') : iss.inclusive ? '<=' : '<';
        out.push({ path, message: `must be ${op} ${bound}, got ${describe(input)}` });
      }
      return;
    }
    case 'invalid_union': {
      if ((iss as { note?: string }).note === 'No matching discriminator') {
        const options = ((iss as { options?: unknown[] }).options ?? []).map(String);
        const got = input && typeof input === 'object' ? (input as Record<string, unknown>).dist : input;
        out.push({
          path,
          message:
            got === undefined
              ? `missing required key \`dist\` (one of ${options.join(', ')})`
              : `unknown distribution ${typeof got === 'string' ? JSON.stringify(got) : describe(got)}; expected one of ${options.join(', ')}`,
          suggestion: typeof got === 'string' ? didYouMean(got, options) : undefined,
        });
        return;
      }
      const branches = iss.errors;
      const meant = branches.find((errs) => !errs.every(isTopTypeMismatch));
      if (meant) {
        for (const e of meant) convert(e, root, path, out);
        return;
      }
      const values = branches.flat().flatMap((e) => (e.code === 'invalid_value' ? e.values.map(String) : []));
      if (values.length && branches.flat().every((e) => e.code === 'invalid_value')) {
        out.push({
          path,
          message: `expected one of ${values.join(', ')}, got ${describe(input)}`,
          suggestion: typeof input === 'string' ? didYouMean(input, values) : undefined,
        });
        return;
      }
      out.push({ path, message: iss.message });
      return;
    }
    default:
      out.push({ path, message: iss.message });
  }
}

/** What to write instead of a quoted number ("10") or a YAML 1.1 boolean (yes, off), which YAML 1.2 reads as text. */
function typeSuggestion(expected: string, input: unknown): string | undefined {
  if (typeof input !== 'string') return undefined;
  const t = input.trim();
  if ((expected === 'number' || expected === 'int') && t !== '' && Number.isFinite(Number(t)))
    return `write ${t} without quotes`;
  if (expected === 'boolean') {
    if (/^(yes|y|on)$/i.test(t)) return 'write true';
    if (/^(no|n|off)$/i.test(t)) return 'write false';
  }
  return undefined;
}

function hasNote(iss: Issue): boolean {
  return (iss as { note?: string }).note !== undefined;
}

/** True for an error that only says "this is not the branch's type at all". */
function isTopTypeMismatch(e: Issue): boolean {
  if (e.path.length > 0) return false;
  if (e.code === 'invalid_type' || e.code === 'invalid_value') return true;
  if (e.code === 'invalid_union') return e.errors.every((b) => b.every(isTopTypeMismatch));
  return false;
}

/**
 * The one number schema at `path`: whether it takes integers only, and its accepted range as ` from 0 to
 * 1`, ` >= 1`, ` > 0` ('' without bounds). Null when there is none, or several (a number or a duration,
 * say). A value of the wrong type said only "expected a number", not what is accepted.
 */
function numberAt(root: AnySchema, path: DataPath): { integer: boolean; range: string } | null {
  const numbers = schemasAt(root, path).filter((s) => s._zod.def.type === 'number');
  if (numbers.length !== 1) return null;
  const def = numbers[0]._zod.def as { format?: string; checks?: AnySchema[] };
  type Check = { check: string; value: number; inclusive: boolean; format?: string };
  const checks = (def.checks ?? []).map((c) => c._zod.def as unknown as Check);
  const integer = def.format === 'safeint' || checks.some((c) => c.format === 'safeint');
  const low = checks.find((c) => c.check === 'greater_than');
  const high = checks.find((c) => c.check === 'less_than');
  if (low && high && low.inclusive && high.inclusive)
    return { integer, range: ` from ${low.value} to ${high.value}` };
  const parts = [
    ...(low ? [`${low.inclusive ? '>=' : '>'} ${low.value}`] : []),
    ...(high ? [`${high.inclusive ? '<=' : '<'} ${high.value}`] : []),
  ];
  return { integer, range: parts.length ? ` ${parts.join(' and ')}` : '' };
}

/** The keys allowed by the object schema at `path` (all object options of a union together). */
function allowedKeys(root: AnySchema, path: DataPath): string[] {
  const keys = new Set<string>();
  for (const s of schemasAt(root, path)) {
    const def = s._zod.def as unknown as { type: string; shape?: Record<string, unknown> };
    if (def.type === 'object' && def.shape) for (const k of Object.keys(def.shape)) keys.add(k);
  }
  return [...keys];
}

/** The schemas that may apply at `path`, wrappers and unions looked through. */
function schemasAt(root: AnySchema, path: DataPath): AnySchema[] {
  let level: AnySchema[] = [root];
  for (const seg of path) {
    const next: AnySchema[] = [];
    for (const s of level.flatMap(unwrap)) {
      const def = s._zod.def as unknown as Record<string, unknown> & { type: string };
      if (def.type === 'object' && typeof seg === 'string') {
        const child = (def.shape as Record<string, AnySchema>)[seg];
        if (child) next.push(child);
      } else if (def.type === 'array' && typeof seg === 'number') {
        next.push(def.element as AnySchema);
      } else if (def.type === 'record') {
        next.push(def.valueType as AnySchema);
      }
    }
    level = next;
  }
  return level.flatMap(unwrap);
}

/** Looks through optional, nullable, default, pipe (input side) and union wrappers. */
function unwrap(s: AnySchema): AnySchema[] {
  const def = s._zod.def as unknown as Record<string, unknown> & { type: string };
  switch (def.type) {
    case 'optional':
    case 'nullable':
    case 'default':
    case 'prefault':
    case 'readonly':
    case 'catch':
      return unwrap(def.innerType as AnySchema);
    case 'pipe':
      return unwrap(def.in as AnySchema);
    case 'union':
      return (def.options as AnySchema[]).flatMap(unwrap);
    default:
      return [s];
  }
}
