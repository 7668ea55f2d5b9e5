/**
 * Several sources as tenants of one stream: a k-way merge by time (equal times: the record queued first),
 * each record stamped with its source's tenant name. `skipped` sums the sources'.
 */
import { MinHeap } from '../min-heap.js';
import type { ArrivalRecord, RequestSource } from '../source.js';

export function mergeSources(sources: readonly RequestSource[], tenants: readonly string[]): RequestSource {
  const heads: (ArrivalRecord | null)[] = [];
  const heap = new MinHeap<number>();
  sources.forEach((s, i) => {
    const r = s.next();
    heads.push(r);
    if (r) heap.push(r.t_ms, i);
  });
  return {
    get skipped() {
      return sources.reduce((a, s) => a + (s.skipped ?? 0), 0);
    },
    next() {
      const i = heap.pop();
      if (i === undefined) return null;
      const r = heads[i] as ArrivalRecord;
      r.tenant = tenants[i];
      const n = sources[i].next();
      heads[i] = n;
      if (n) heap.push(n.t_ms, i);
      return r;
    },
    close() {
      for (const s of sources) s.close?.();
    },
  };
}
