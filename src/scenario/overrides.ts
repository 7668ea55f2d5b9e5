/**
 * Dotted-path overrides (`router.strategy`, `models.llama-70b.max_concurrency`, `traffic.arrivals.rate`)
 * applied to the plain YAML data before validation, so a value from a CLI flag or a sweep is checked
 * exactly like one written in the file. In a list, a segment names an element by its `id` (models),
 * `name` (variants) or `tenant` (streams), or by index; ids may contain dots.
 */
import { parse } from 'yaml';
import { DEFAULT_ROUTING_CONFIG } from '../router/config.js';
import type { DataPath } from './positions.js';
import { didYouMean } from './suggest.js';

interface AppliedOverride {
  /** The key as given, e.g. "models.llama-70b.max_concurrency". */
  key: string;
  /** Where it landed in the data, e.g. ['models', 0, 'max_concurrency']. */
  path: DataPath;
}

export interface OverrideResult {
  data: unknown;
  applied: AppliedOverride[];
  /** Overrides that could not be applied: the key and why. */
  problems: { key: string; message: string; suggestion?: string }[];
}

const LIST_KEYS = ['id', 'name', 'tenant'];

/**
 * A copy of `data` with every override set. String values are read as YAML scalars, as on a command line
 * ("8" is the number 8, "30s" stays a string, "[a, b]" is a list). Missing mappings on the way are created.
 */
export function applyOverrides(data: unknown, overrides: Record<string, unknown>): OverrideResult {
  const root = (isObj(data) ? structuredClone(data) : {}) as Record<string, unknown>;
  const applied: AppliedOverride[] = [];
  const problems: OverrideResult['problems'] = [];
  dropOtherStrategysOptions(root, overrides);
  for (const [key, rawValue] of Object.entries(overrides)) {
    const value = typeof rawValue === 'string' ? readScalar(rawValue) : rawValue;
    const segs = key.split('.');
    if (segs.some((s) => s === '')) {
      problems.push({ key, message: 'an override key is a dotted path like router.strategy' });
      continue;
    }
    if (/\[\d+\]/.test(key)) {
      // `models[0].x` was read as a top-level key `models[0]`, refused at the file's first line.
      const dotted = key.replace(/\[(\d+)\]/g, '.$1');
      problems.push({
        key,
        message: 'a list entry is named with a dot, by its id or its index',
        suggestion: `did you mean \`${dotted}\`?`,
      });
      continue;
    }
    const r = setPath(root, segs, value);
    if ('message' in r) problems.push({ key, ...r });
    else applied.push({ key, path: r.path });
  }
  return { data: root, applied, problems };
}

function setPath(
  root: Record<string, unknown>,
  segs: string[],
  value: unknown,
): { path: DataPath } | { message: string; suggestion?: string } {
  let cur: unknown = root;
  const path: DataPath = [];
  let i = 0;
  while (i < segs.length) {
    if (Array.isArray(cur)) {
      const found = findElement(cur, segs, i);
      if (!found) {
        const ids = cur.flatMap((e) =>
          isObj(e) ? LIST_KEYS.map((k) => e[k]).filter((v) => typeof v === 'string') : [],
        );
        const what = path[path.length - 1] === 'models' ? 'model' : 'entry';
        return {
          message: `no ${what} \`${segs[i]}\` in ${path.join('.')}`,
          suggestion:
            didYouMean(segs[i], ids as string[]) ?? (ids.length ? `one of: ${ids.join(', ')}` : undefined),
        };
      }
      if (found.next >= segs.length)
        return { message: `cannot replace a whole entry of ${path.join('.')}; set one of its keys` };
      path.push(found.index);
      cur = cur[found.index];
      i = found.next;
      continue;
    }
    if (!isObj(cur)) {
      return { message: `\`${path.join('.')}\` is not a mapping, so it has no \`${segs[i]}\`` };
    }
    const seg = segs[i];
    path.push(seg);
    if (i === segs.length - 1) {
      cur[seg] = value;
      return { path };
    }
    if (cur[seg] === undefined || cur[seg] === null) cur[seg] = {};
    cur = cur[seg];
    i++;
  }
  return { path };
}

/**
 * An override of `router.strategy` to another strategy, with no `router.strategy_options` override, drops
 * the file's `router.strategy_options`: they are the file's strategy's, and the new one refused them
 * (`compare --strategies prefix_aware,least_loaded` on a file with `max_imbalance` was exit 2).
 */
function dropOtherStrategysOptions(root: Record<string, unknown>, overrides: Record<string, unknown>): void {
  if (!('router.strategy' in overrides)) return;
  if (Object.keys(overrides).some((k) => k.startsWith('router.strategy_options'))) return;
  const router = root.router;
  if (!isObj(router) || router.strategy_options === undefined) return;
  const next = overrides['router.strategy'];
  const to = typeof next === 'string' ? readScalar(next) : next;
  if (to !== (router.strategy ?? DEFAULT_ROUTING_CONFIG.strategy)) delete router.strategy_options;
}

/** The element named by segs[i..j) joined with dots (longest match first), or by index. */
function findElement(list: unknown[], segs: string[], i: number): { index: number; next: number } | null {
  for (let j = segs.length; j > i; j--) {
    const name = segs.slice(i, j).join('.');
    for (const k of LIST_KEYS) {
      const index = list.findIndex((e) => isObj(e) && e[k] === name);
      if (index >= 0) return { index, next: j };
    }
  }
  if (/^\d+$/.test(segs[i]) && Number(segs[i]) < list.length) return { index: Number(segs[i]), next: i + 1 };
  return null;
}

/** "8" -> 8, "true" -> true, "30s" -> "30s", "[a, b]" -> ['a', 'b']; unparseable text stays text. */
export function readScalar(text: string): unknown {
  try {
    const v = parse(text);
    return v === null && text.trim() !== 'null' && text.trim() !== '~' ? text : v;
  } catch {
    return text;
  }
}

function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
