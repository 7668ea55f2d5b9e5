/**
 * End-of-bucket samples (K_SAMPLE, every timeline interval): per model its busy slot-time, quota share and
 * health as the router saw it, and the affinity table's size. close() takes the last, possibly partial,
 * bucket's samples when the run ends.
 */
import type { SimCluster } from '../backends/sim/index.js';
import type { RunRecorder } from '../metrics/recorder.js';
import type { Router } from '../router/router.js';
import type { HealthMonitor } from './health.js';
import type { Presence } from './presence.js';

export class Sampler {
  constructor(
    private readonly cluster: SimCluster,
    private readonly recorder: RunRecorder,
    private readonly router: Router,
    private readonly health: HealthMonitor,
    private readonly presence: Presence,
    private readonly interval_ms: number,
  ) {}

  /** K_SAMPLE at a bucket boundary `now`: the values at the end of the bucket that ends there. */
  sampleAt(now: number): void {
    this.sample(Math.round(now / this.interval_ms) - 1);
  }

  /** The run ended at `end` (the clock must be there): samples of the bucket that holds it. */
  close(end: number): void {
    this.sample(Math.max(0, Math.ceil(end / this.interval_ms) - 1));
  }

  private sample(b: number): void {
    if (b < 0) return;
    const c = this.cluster;
    const r = this.recorder;
    for (let i = 0; i < c.size; i++) {
      const shown = this.presence.shown(i, this.health.shownHealth(i));
      r.sampleModel(i, b, c.busySlotTime(i), c.quotaUsage(i), shown);
    }
    r.sampleAffinity(b, this.router.affinityEntries());
  }
}
