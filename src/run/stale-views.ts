/**
 * Stale signals: the load, cache and quota views as the router sees them when they are refreshed only
 * every `router.signals.refresh` (a metrics scrape, a gossip period). refresh() copies the live views
 * into arrays; between refreshes the router reads the copies. Per-request prefix matching stays live
 * (it is the cache's answer for this request, not a published signal).
 *
 * The quota snapshot keeps, per model, the largest request (in tokens) the window had room for at the
 * refresh, found by bisection on the live checkQuota, so checkQuota(i, t) = t <= room exactly as the
 * live view would have answered at the refresh.
 */
import type { RouteRequest } from '../router/types.js';
import type { CacheView, LoadView, QuotaView } from '../router/views.js';

const MAX_TOKENS = 2 ** 40;

export class StaleViews implements LoadView, CacheView, QuotaView {
  private readonly loads: Float64Array;
  private readonly inflight: Float64Array;
  private readonly queue: Float64Array;
  private readonly hit: Float64Array;
  private readonly used: Float64Array;
  private readonly room: Float64Array;
  private readonly kv: Float64Array;
  /** Times refresh() ran. */
  refreshes = 0;

  constructor(
    private readonly n: number,
    private readonly load_: LoadView,
    private readonly cache_: CacheView,
    private readonly quota_: QuotaView,
  ) {
    this.loads = new Float64Array(n);
    this.inflight = new Float64Array(n);
    this.queue = new Float64Array(n);
    this.hit = new Float64Array(n);
    this.used = new Float64Array(n);
    this.room = new Float64Array(n);
    this.kv = new Float64Array(n);
    this.refresh();
  }

  /** Copy the live views. */
  refresh(): void {
    this.refreshes++;
    const { load_: l, cache_: c, quota_: q } = this;
    for (let i = 0; i < this.n; i++) {
      this.loads[i] = l.load(i);
      this.inflight[i] = l.inFlight(i);
      this.queue[i] = l.queueDepth(i);
      this.hit[i] = c.getCacheHitRate(i);
      this.used[i] = q.usage(i);
      this.room[i] = roomOf(q, i);
      this.kv[i] = c.freeKvBlocks ? c.freeKvBlocks(i) : Number.NaN;
    }
  }

  load(i: number): number {
    return this.loads[i];
  }
  inFlight(i: number): number {
    return this.inflight[i];
  }
  queueDepth(i: number): number {
    return this.queue[i];
  }
  getCacheHitRate(i: number): number {
    return this.hit[i];
  }
  prefixMatch(i: number, request: RouteRequest): number {
    return this.cache_.prefixMatch ? this.cache_.prefixMatch(i, request) : 0;
  }
  freeKvBlocks(i: number): number {
    return this.kv[i];
  }
  checkQuota(i: number, tokens: number): boolean {
    return tokens <= this.room[i];
  }
  usage(i: number): number {
    return this.used[i];
  }
}

/** Largest token count that fits now (-1: not even an empty request; Infinity: unlimited). */
function roomOf(q: QuotaView, i: number): number {
  if (!q.checkQuota(i, 0)) return -1;
  if (q.checkQuota(i, MAX_TOKENS)) return Number.POSITIVE_INFINITY;
  let lo = 0;
  let hi = MAX_TOKENS;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (q.checkQuota(i, mid)) lo = mid;
    else hi = mid;
  }
  return lo;
}
