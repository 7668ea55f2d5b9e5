/**
 * What the router believes about each model's health, learned the way a production router learns it:
 * - active probes: every probe reports the model's health endpoint; `unhealthy_after` failed probes in a
 *   row mark it unhealthy, `healthy_after` good probes in a row bring it back (a probe that reports
 *   degraded is a good probe that says "degraded"; healthy <-> degraded switches on the first report);
 * - passive outlier detection: `consecutive_failures` failed attempts in a row (error or timeout, not
 *   rate limits) eject the model — the router sees it unhealthy — for `cooldown_ms`, after which the
 *   probed health shows again.
 *   An ejection that would leave more than `max_ejection_percent` of the pool (the models present)
 *   ejected at once does not happen (Envoy's guard); the failure streak stays, so a later failure tries
 *   again.
 * The registry sees `ejected ? unhealthy : probed`. Each true change (from the scenario's timeline) is
 * recorded with the time the router's view first matched it (null when it never did before the next
 * change or the end of the run). The initial health is known to the router at t = 0.
 */

import type { RunRecorder } from '../metrics/recorder.js';
import type { Health } from '../router/types.js';
import type { Registry } from '../router/views.js';
import type { OutlierSpec, ProbeSpec } from '../scenario/types.js';
import type { HealthChange } from './result.js';

export class HealthMonitor {
  /** Health as the probes established it. */
  private readonly probed: Health[];
  /** What the registry shows now. */
  private readonly shown: Health[];
  private readonly failStreak: Int32Array;
  private readonly okStreak: Int32Array;
  private readonly attemptFails: Int32Array;
  private readonly ejectedUntil: Float64Array;
  /** Per model, every true change in order. */
  readonly changes: HealthChange[][];
  private readonly pending: (HealthChange | null)[];
  /** Number of ejections per model. */
  readonly ejections: Int32Array;
  /** Ejections max_ejection_percent prevented, per model. */
  readonly ejectionsPrevented: Int32Array;

  constructor(
    private readonly ids: readonly string[],
    initial: readonly Health[],
    private readonly registry: Registry,
    private readonly probes: ProbeSpec,
    private readonly outlier: OutlierSpec,
    /** Told every change of the health the registry shows (and the initial one, at t = 0). */
    private readonly recorder?: Pick<RunRecorder, 'healthShown'>,
  ) {
    const n = ids.length;
    this.probed = initial.slice();
    this.shown = initial.slice();
    this.failStreak = new Int32Array(n);
    this.okStreak = new Int32Array(n);
    this.attemptFails = new Int32Array(n);
    this.ejectedUntil = new Float64Array(n).fill(Number.NEGATIVE_INFINITY);
    this.changes = ids.map(() => []);
    this.pending = ids.map(() => null);
    this.ejections = new Int32Array(n);
    this.ejectionsPrevented = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      if (registry.healthOf(i) !== initial[i]) registry.updateHealthStatus(ids[i], initial[i]);
      recorder?.healthShown(i, 0, initial[i]);
    }
  }

  /** Health the router sees for model i now. */
  shownHealth(i: number): Health {
    return this.shown[i];
  }

  /** The model's true health changed at `now` (a timeline event). */
  trueChange(i: number, h: Health, now: number): void {
    const c: HealthChange = { at_ms: now, true_health: h, detected_at_ms: null, delay_ms: null };
    this.changes[i].push(c);
    this.pending[i] = c;
    this.checkDetected(i, now);
  }

  /** One probe of model i reported `h` (an unhealthy model fails its probe). */
  probeResult(i: number, h: Health, now: number): void {
    if (h === 'unhealthy') {
      this.okStreak[i] = 0;
      this.failStreak[i]++;
      if (this.failStreak[i] >= this.probes.unhealthy_after) this.setProbed(i, 'unhealthy', now);
      return;
    }
    this.failStreak[i] = 0;
    this.okStreak[i]++;
    if (this.probed[i] === 'unhealthy') {
      if (this.okStreak[i] >= this.probes.healthy_after) this.setProbed(i, h, now);
    } else if (this.probed[i] !== h) {
      this.setProbed(i, h, now);
    }
  }

  /** An attempt on model i ended ok: attemptResult(i, false, ...) without the clock. */
  attemptOk(i: number): void {
    this.attemptFails[i] = 0;
  }

  /**
   * An attempt on model i ended; `failed` for an error or timeout. Returns true when this failure ejects
   * the model (the caller schedules ejectEnd at now + cooldown_ms). `inPool(j)`: whether model j is in the
   * router's pool now (the models max_ejection_percent counts; default all).
   */
  attemptResult(i: number, failed: boolean, now: number, inPool?: (j: number) => boolean): boolean {
    if (!failed) {
      this.attemptFails[i] = 0;
      return false;
    }
    const k = this.outlier.consecutive_failures;
    if (k <= 0) return false;
    if (++this.attemptFails[i] < k || now < this.ejectedUntil[i]) return false;
    if (!this.mayEject(now, inPool)) {
      this.ejectionsPrevented[i]++;
      return false;
    }
    this.attemptFails[i] = 0;
    this.ejectedUntil[i] = now + this.outlier.cooldown_ms;
    this.ejections[i]++;
    this.publish(i, now);
    return true;
  }

  /** Whether one more ejection keeps the ejected share of the pool within max_ejection_percent. */
  private mayEject(now: number, inPool?: (j: number) => boolean): boolean {
    const pct = this.outlier.max_ejection_percent;
    if (pct >= 100) return true;
    let pool = 0;
    let ejected = 0;
    for (let j = 0; j < this.ids.length; j++) {
      if (inPool !== undefined && !inPool(j)) continue;
      pool++;
      if (now < this.ejectedUntil[j]) ejected++;
    }
    return (ejected + 1) * 100 <= pct * pool;
  }

  /** The cooldown of an ejection may have ended. */
  ejectEnd(i: number, now: number): void {
    if (now >= this.ejectedUntil[i]) this.publish(i, now);
  }

  private setProbed(i: number, h: Health, now: number): void {
    this.probed[i] = h;
    this.publish(i, now);
  }

  private publish(i: number, now: number): void {
    const view: Health = now < this.ejectedUntil[i] ? 'unhealthy' : this.probed[i];
    if (view === this.shown[i]) return;
    this.shown[i] = view;
    this.registry.updateHealthStatus(this.ids[i], view);
    this.recorder?.healthShown(i, now, view);
    this.checkDetected(i, now);
  }

  private checkDetected(i: number, now: number): void {
    const c = this.pending[i];
    if (c !== null && this.shown[i] === c.true_health) {
      c.detected_at_ms = now;
      c.delay_ms = now - c.at_ms;
      this.pending[i] = null;
    }
  }
}
