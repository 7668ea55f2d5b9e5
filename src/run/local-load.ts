/**
 * One router replica's own view of load (`router.replicas.view: local`): it knows only the attempts it sent
 * itself that have not ended, as a gateway instance that counts its own in-flight requests does. With
 * `signals.refresh` it also has the global snapshot of the last refresh (run/stale-views.ts) and adds to it
 * what it sent, net of what ended, since then:
 *   load(i) = max(0, snapshot.load(i) + (own(i) - own at the refresh) / max_concurrency(i)),
 * and without a snapshot load(i) = own(i) / max_concurrency(i). inFlight and queueDepth split the same
 * count at max_concurrency. max_concurrency is the model's configured one (what the gateway was told).
 */
import type { LoadView } from '../router/views.js';

export class LocalLoad implements LoadView {
  private readonly own: Float64Array;
  private readonly atRefresh: Float64Array;

  constructor(
    private readonly maxConcurrency: Float64Array,
    /** The shared stale snapshot, or null when signals are always fresh. */
    private readonly snapshot: LoadView | null,
  ) {
    this.own = new Float64Array(maxConcurrency.length);
    this.atRefresh = new Float64Array(maxConcurrency.length);
  }

  /** An attempt this replica sent to model i was accepted. */
  sent(i: number): void {
    this.own[i]++;
  }

  /** One of those attempts ended. */
  ended(i: number): void {
    this.own[i]--;
  }

  /** The shared snapshot was just refreshed: what this replica sent since starts again from zero. */
  refreshed(): void {
    this.atRefresh.set(this.own);
  }

  private total(i: number): number {
    const s = this.snapshot;
    if (s === null) return this.own[i];
    return Math.max(0, s.load(i) * this.maxConcurrency[i] + this.own[i] - this.atRefresh[i]);
  }

  load(i: number): number {
    return this.total(i) / this.maxConcurrency[i];
  }
  inFlight(i: number): number {
    return Math.min(this.total(i), this.maxConcurrency[i]);
  }
  queueDepth(i: number): number {
    return Math.max(0, this.total(i) - this.maxConcurrency[i]);
  }
}
