/**
 * End-of-bucket samples (K_SAMPLE, at each end of a timeline bucket): per model its busy slot-time, quota
 * share and health as the router saw it, and the affinity table's size. The bucket width is the
 * recorder's, which can double during a run; sample times are kept as a whole number of base intervals,
 * so they fall exactly on bucket ends at every width. close() takes the last, possibly partial, bucket's
 * samples when the run ends.
 */
import type { SimCluster } from '../backends/sim/index.js';
import type { RunRecorder } from '../metrics/recorder.js';
import type { HealthMonitor } from './health.js';
import type { Presence } from './presence.js';

export class Sampler {
  /** The next (or current) sample point, in base intervals. */
  private boundary = 0;

  /** `base_ms`: the recorder's starting bucket width (its width is always base_ms × a power of two). */
  constructor(
    private readonly cluster: SimCluster,
    private readonly recorder: RunRecorder,
    /** The router (or replicas) whose affinity entries are sampled. */
    private readonly router: { affinityEntries(): number },
    private readonly health: HealthMonitor,
    private readonly presence: Presence,
    private readonly base_ms: number,
  ) {}

  /** Base intervals per bucket now. */
  private scale(): number {
    return Math.round(this.recorder.interval_ms / this.base_ms);
  }

  /**
   * Advance to the end of the bucket that holds the current sample point and return its time: the next
   * K_SAMPLE. The first call gives the end of bucket 0.
   */
  next(): number {
    const s = this.scale();
    this.boundary = (Math.floor(this.boundary / s) + 1) * s;
    return this.boundary * this.base_ms;
  }

  /** K_SAMPLE at the time next() gave: the values at the end of the bucket that ends there. */
  sampleAt(): void {
    this.sample(Math.ceil(this.boundary / this.scale()) - 1);
  }

  /** The run ended at `end` (the clock must be there): samples of the bucket that holds it. */
  close(end: number): void {
    this.sample(Math.max(0, Math.ceil(end / this.recorder.interval_ms) - 1));
  }

  private sample(at: number): void {
    if (at < 0) return;
    const c = this.cluster;
    const r = this.recorder;
    const b = r.sampleBucket(at);
    for (let i = 0; i < c.size; i++) {
      const shown = this.presence.shown(i, this.health.shownHealth(i));
      r.sampleModel(i, b, c.busySlotTime(i), c.quotaUsage(i), shown);
    }
    r.sampleAffinity(b, this.router.affinityEntries());
  }
}
