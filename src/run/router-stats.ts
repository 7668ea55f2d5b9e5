/** Several routers' statistics as one (router replicas): every count summed, routing time of the first. */
import type { RouterStats } from '../router/stats.js';

/** The sum of `all` (at least one). strategy_counts keys appear in first-seen order. */
export function sumRouterStats(all: readonly RouterStats[]): RouterStats {
  const out = structuredClone(all[0]);
  for (let k = 1; k < all.length; k++) {
    const s = all[k];
    out.total_routes += s.total_routes;
    out.successful += s.successful;
    out.failed += s.failed;
    out.fallbacks += s.fallbacks;
    out.retries += s.retries;
    out.retries_denied += s.retries_denied;
    out.rejected += s.rejected;
    for (const [name, v] of Object.entries(s.strategy_counts))
      out.strategy_counts[name] = (out.strategy_counts[name] ?? 0) + v;
    out.affinity.hits += s.affinity.hits;
    out.affinity.misses += s.affinity.misses;
    out.affinity.stale_hits += s.affinity.stale_hits;
    out.affinity.expired += s.affinity.expired;
    out.affinity.entries += s.affinity.entries;
    out.ab.a += s.ab.a;
    out.ab.b += s.ab.b;
  }
  return out;
}
