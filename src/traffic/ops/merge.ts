/**
 * Several sources as tenants of one stream: a k-way merge by time (equal times: the record queued first),
 * each record stamped with its source's tenant name. `skipped` sums the sources'.
 *
 * Sources may reuse their record object, so each source's head is kept as a copy (the next() that refills
 * it would otherwise overwrite the record being returned); next() returns one reused output record.
 */
import { MinHeap } from '../min-heap.js';
import type { ArrivalRecord, RequestSource } from '../source.js';

export function mergeSources(sources: readonly RequestSource[], tenants: readonly string[]): RequestSource {
  const heads: ArrivalRecord[] = sources.map(() => blankRecord());
  const out = blankRecord();
  const heap = new MinHeap<number>();
  sources.forEach((s, i) => {
    const r = s.next();
    if (r) {
      copyRecord(heads[i], r);
      heap.push(r.t_ms, i);
    }
  });
  return {
    get skipped() {
      return sources.reduce((a, s) => a + (s.skipped ?? 0), 0);
    },
    next() {
      const i = heap.pop();
      if (i === undefined) return null;
      copyRecord(out, heads[i]);
      out.tenant = tenants[i];
      const n = sources[i].next();
      if (n) {
        copyRecord(heads[i], n);
        heap.push(n.t_ms, i);
      }
      return out;
    },
    close() {
      for (const s of sources) s.close?.();
    },
  };
}

function blankRecord(): ArrivalRecord {
  return { t_ms: 0, prompt_tokens: 0, output_tokens: 0 };
}

/** Every field of `from` onto `to` (absent ones as undefined). */
function copyRecord(to: ArrivalRecord, from: ArrivalRecord): void {
  to.t_ms = from.t_ms;
  to.prompt_tokens = from.prompt_tokens;
  to.output_tokens = from.output_tokens;
  to.session_id = from.session_id;
  to.preferred_model = from.preferred_model;
  to.capabilities = from.capabilities;
  to.tags = from.tags;
  to.prefix_blocks = from.prefix_blocks;
  to.block_tokens = from.block_tokens;
  to.priority = from.priority;
  to.tenant = from.tenant;
}
