/**
 * Stale signals: the load, cache and quota views as the router sees them when they are refreshed only
 * every `router.signals.refresh` (a metrics scrape, a gossip period). refresh() copies the live views
 * into arrays; between refreshes the router reads the copies. Per-request prefix matching stays live
 * (it is the cache's answer for this request, not a published signal).
 *
 * A model can also be frozen (a metrics_stale event: its metrics endpoint stalls): its copy is taken
 * then and not refreshed until it thaws. Built with `periodic` false (no signals.refresh), the views read
 * the live ones for every model that is not frozen.
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
  /** 1 while a model's view is frozen. */
  private readonly frozen: Uint8Array;
  /** Models read live: not periodic and not frozen. */
  private readonly live: Uint8Array;
  /** Times refresh() ran. */
  refreshes = 0;

  constructor(
    private readonly n: number,
    private readonly load_: LoadView,
    private readonly cache_: CacheView,
    private readonly quota_: QuotaView,
    private readonly periodic = true,
  ) {
    this.frozen = new Uint8Array(n);
    this.live = new Uint8Array(n).fill(periodic ? 0 : 1);
    this.loads = new Float64Array(n);
    this.inflight = new Float64Array(n);
    this.queue = new Float64Array(n);
    this.hit = new Float64Array(n);
    this.used = new Float64Array(n);
    this.room = new Float64Array(n);
    this.refresh();
  }

  /** Copy the live views (of every model not frozen). */
  refresh(): void {
    this.refreshes++;
    for (let i = 0; i < this.n; i++) if (this.frozen[i] === 0) this.copy(i);
  }

  /** Freeze model i's view at its live value now (on), or thaw it (read live again, or refreshed now). */
  freeze(i: number, on: boolean): void {
    if (on) this.copy(i);
    this.frozen[i] = on ? 1 : 0;
    if (!on && this.periodic) this.copy(i);
    this.live[i] = on || this.periodic ? 0 : 1;
  }

  private copy(i: number): void {
    const { load_: l, cache_: c, quota_: q } = this;
    this.loads[i] = l.load(i);
    this.inflight[i] = l.inFlight(i);
    this.queue[i] = l.queueDepth(i);
    this.hit[i] = c.getCacheHitRate(i);
    this.used[i] = q.usage(i);
    this.room[i] = roomOf(q, i);
  }

  load(i: number): number {
    return this.live[i] === 1 ? this.load_.load(i) : this.loads[i];
  }
  inFlight(i: number): number {
    return this.live[i] === 1 ? this.load_.inFlight(i) : this.inflight[i];
  }
  queueDepth(i: number): number {
    return this.live[i] === 1 ? this.load_.queueDepth(i) : this.queue[i];
  }
  getCacheHitRate(i: number): number {
    return this.live[i] === 1 ? this.cache_.getCacheHitRate(i) : this.hit[i];
  }
  prefixMatch(i: number, request: RouteRequest): number {
    return this.cache_.prefixMatch ? this.cache_.prefixMatch(i, request) : 0;
  }
  checkQuota(i: number, tokens: number): boolean {
    return this.live[i] === 1 ? this.quota_.checkQuota(i, tokens) : tokens <= this.room[i];
  }
  usage(i: number): number {
    return this.live[i] === 1 ? this.quota_.usage(i) : this.used[i];
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
