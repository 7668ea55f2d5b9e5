/**
 * The retry budget (router.retry_budget, as in Linkerd and Finagle): a retry is granted only while the
 * retries granted over the last `window_ms` stay within `ratio` × the requests routed for the first time
 * over it, so a failing model cannot multiply the load by max_retries. "The last window" is counted in
 * RETRY_BUDGET_BUCKETS buckets of window / 10 each (bucket k covers [k·w/10, (k+1)·w/10)): the window
 * slides in steps of a tenth of it, and the current bucket counts from its start. A window of 0 counts
 * nothing, so every retry is refused. Allocation-free after construction.
 */

const RETRY_BUDGET_BUCKETS = 10;

export class RetryBudget {
  private readonly requests = new Float64Array(RETRY_BUDGET_BUCKETS);
  private readonly retries = new Float64Array(RETRY_BUDGET_BUCKETS);
  private readonly width: number;
  private current = Number.NEGATIVE_INFINITY;
  private requestSum = 0;
  private retrySum = 0;

  constructor(
    private readonly ratio: number,
    window_ms: number,
  ) {
    this.width = window_ms / RETRY_BUDGET_BUCKETS;
  }

  /** A request was routed for the first time at `now`. */
  request(now: number): void {
    if (!(this.width > 0)) return;
    const k = this.advance(now);
    this.requests[k]++;
    this.requestSum++;
  }

  /** Whether a retry at `now` fits the budget; a granted retry is counted. */
  tryRetry(now: number): boolean {
    if (!(this.width > 0)) return false;
    const k = this.advance(now);
    if (this.retrySum + 1 > this.ratio * this.requestSum) return false;
    this.retries[k]++;
    this.retrySum++;
    return true;
  }

  /** Move the window to `now`'s bucket (clearing those it left behind); returns that bucket's slot. */
  private advance(now: number): number {
    const b = Math.floor(now / this.width);
    const n = RETRY_BUDGET_BUCKETS;
    if (b !== this.current) {
      const from = b - this.current >= n ? b - n + 1 : this.current + 1;
      for (let k = from; k <= b; k++) {
        const slot = ((k % n) + n) % n;
        this.requestSum -= this.requests[slot];
        this.retrySum -= this.retries[slot];
        this.requests[slot] = 0;
        this.retries[slot] = 0;
      }
      this.current = b;
    }
    return ((b % n) + n) % n;
  }
}
