/**
 * Reading the engine's JSON inputs (config.json, GPU specs, coefficients files) without throwing: each
 * reader returns the value or the problems found, each naming the field, so the loader can put them at the
 * scenario key that names the file and the CLI can print them with the file's path (exit 2).
 */
import { readFileSync } from 'node:fs';

export type Read<T> = { ok: true; value: T } | { ok: false; problems: string[] };

/** The parsed JSON of `path`, or one problem ("not found", "not JSON: ..."). */
export function readJson(path: string): Read<unknown> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    const why = e.code === 'ENOENT' ? 'not found' : e.code === 'EISDIR' ? 'is a folder' : e.message;
    return { ok: false, problems: [why] };
  }
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (err) {
    return { ok: false, problems: [`not JSON (${(err as Error).message})`] };
  }
}

/** A JSON object's fields, or undefined when `v` is not a plain object. */
export function asObject(v: unknown): Record<string, unknown> | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
    ? (v as Record<string, unknown>)
    : undefined;
}

/**
 * Field `key` of `o` as a finite number in [min, max] (integer when `int`), or undefined with a problem
 * pushed that names `where` + key. An absent key is a problem only when `required`.
 */
export function numberField(
  o: Record<string, unknown>,
  key: string,
  where: string,
  problems: string[],
  range: { min: number; max: number; int?: boolean; required?: boolean },
): number | undefined {
  const v = o[key];
  if (v === undefined || v === null) {
    if (range.required !== false) problems.push(`${where}${key}: missing (a number is required)`);
    return undefined;
  }
  const kind = range.int ? 'a whole number' : 'a number';
  if (typeof v !== 'number' || !Number.isFinite(v) || (range.int && !Number.isInteger(v))) {
    problems.push(`${where}${key}: must be ${kind}, got ${JSON.stringify(v)}`);
    return undefined;
  }
  if (v < range.min || v > range.max) {
    problems.push(`${where}${key}: must be ${kind} in [${range.min}, ${range.max}], got ${v}`);
    return undefined;
  }
  return v;
}
