/**
 * routesim's native trace: JSONL, one ArrivalRecord per line, nothing else (no header).
 *
 *   {"t_ms": 0, "prompt_tokens": 812, "output_tokens": 64, "session_id": "s3", "preferred_model": "llama-70b",
 *    "capabilities": ["json"], "tags": ["team:search"], "prefix_blocks": [0, 17, 18], "block_tokens": 512,
 *    "priority": 1, "tenant": "code"}
 *
 * Required: t_ms (ms from the run start, not shifted: a native trace may start late on purpose),
 * prompt_tokens and output_tokens (whole numbers >= 0). Everything else is optional, with the types shown.
 * An unknown field is a bad row (it is most likely a typo). `routesim trace convert` writes this format.
 */
import { roundTo } from '../../core/format.js';
import type { ArrivalRecord } from '../source.js';
import { numText, parseObject } from './mooncake.js';
import { count, RowError, type RowParser } from './row.js';

const STRING_FIELDS = ['session_id', 'preferred_model', 'tenant'] as const;
const STRING_LISTS = ['capabilities', 'tags'] as const;
const KNOWN = new Set([
  't_ms',
  'prompt_tokens',
  'output_tokens',
  ...STRING_FIELDS,
  ...STRING_LISTS,
  'prefix_blocks',
  'block_tokens',
  'priority',
]);

export function nativeParser(): RowParser {
  return {
    rebase: false,
    header: () => false,
    parse(line) {
      const o = parseObject(line);
      for (const k in o) if (!KNOWN.has(k)) throw new RowError(`unknown field '${k}'`, k);
      const t = o.t_ms;
      if (typeof t !== 'number' || !Number.isFinite(t) || t < 0) {
        throw new RowError(`t_ms must be a number >= 0, got ${JSON.stringify(t)}`, 't_ms');
      }
      const rec: ArrivalRecord = {
        t_ms: t,
        prompt_tokens: count(numText(o.prompt_tokens), 'prompt_tokens', 'prompt_tokens'),
        output_tokens: count(numText(o.output_tokens), 'output_tokens', 'output_tokens'),
      };
      for (const k of STRING_FIELDS) {
        const v = o[k];
        if (v === undefined) continue;
        if (typeof v !== 'string') throw new RowError(`${k} must be a string`, k);
        rec[k] = v;
      }
      for (const k of STRING_LISTS) {
        const v = o[k];
        if (v === undefined) continue;
        if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) {
          throw new RowError(`${k} must be an array of strings`, k);
        }
        rec[k] = v as string[];
      }
      if (o.prefix_blocks !== undefined) {
        const v = o.prefix_blocks;
        if (!Array.isArray(v) || !v.every((x) => Number.isInteger(x))) {
          throw new RowError('prefix_blocks must be an array of integers', 'prefix_blocks');
        }
        rec.prefix_blocks = v as number[];
      }
      if (o.block_tokens !== undefined) {
        const v = o.block_tokens;
        if (!Number.isInteger(v) || (v as number) < 1)
          throw new RowError('block_tokens must be a whole number >= 1', 'block_tokens');
        rec.block_tokens = v as number;
      }
      if (o.priority !== undefined) {
        if (typeof o.priority !== 'number' || !Number.isFinite(o.priority)) {
          throw new RowError('priority must be a number', 'priority');
        }
        rec.priority = o.priority;
      }
      return rec;
    },
  };
}

/**
 * One record as a native JSONL line (fields in a fixed order, absent ones left out; no newline). t_ms is
 * written to the microsecond: rebased epoch timestamps carry float noise (98.18899999999985) below that,
 * and no trace format records finer than a tenth of a microsecond.
 */
export function toNativeLine(r: ArrivalRecord): string {
  const o: Record<string, unknown> = {
    t_ms: roundTo(r.t_ms, 3),
    prompt_tokens: r.prompt_tokens,
    output_tokens: r.output_tokens,
  };
  if (r.session_id !== undefined) o.session_id = r.session_id;
  if (r.preferred_model !== undefined) o.preferred_model = r.preferred_model;
  if (r.capabilities !== undefined) o.capabilities = r.capabilities;
  if (r.tags !== undefined) o.tags = r.tags;
  if (r.prefix_blocks !== undefined) o.prefix_blocks = r.prefix_blocks;
  if (r.block_tokens !== undefined) o.block_tokens = r.block_tokens;
  if (r.priority !== undefined) o.priority = r.priority;
  if (r.tenant !== undefined) o.tenant = r.tenant;
  return JSON.stringify(o);
}
