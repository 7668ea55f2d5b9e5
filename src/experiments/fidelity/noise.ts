/**
 * How noisy the machine was while fidelity measured it, and what that allows the verdict to say. A live
 * run's latencies are wall-clock timings of real llama.cpp work: on a shared machine they move with
 * everything else running there, so a simulation can be no closer to one live run than live runs of the
 * same traffic are to each other. Two measurements:
 *
 * - the run-to-run spread of the live runs (the noise the verdict uses): the farthest one live run's
 *   median end-to-end latency strayed from the median of all of them, in percent;
 * - a CPU-share probe around every live run: spin one thread for a fixed wall time and divide the CPU time
 *   the process got by the wall time. 1 means it had a core to itself; 0.3 means other work took 70%.
 *
 * The verdict: `pass` when the error is within the limit and the noise is not larger than the limit;
 * `fail` when the error exceeds the limit by more than the noise (the machine cannot explain it);
 * `inconclusive` otherwise (too noisy to judge at this limit, or the error is within the noise of it),
 * with the reason in words.
 */
import { availableParallelism, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';

/** Live runs by default: the fewest that give a median and a spread. */
export const DEFAULT_REPEAT = 3;
/** How long one CPU-share probe spins (ms of wall time). */
const PROBE_MS = 250;
/** With a single live run there is no spread: below this CPU share the verdict is inconclusive. */
export const MIN_CPU_SHARE = 0.5;

export type Verdict = 'pass' | 'fail' | 'inconclusive';

/** What fidelity.json records about the machine during the live runs. */
export interface MachineNoise {
  cores: number;
  /** 1-minute load average before the first and after the last live run (0 where the OS has none). */
  load_before: number;
  load_after: number;
  /** CPU share of each probe: before the first live run, then after each one (0..1). */
  cpu_share: number[];
}

/** CPU time the process got per wall ms while spinning one thread for `ms` (0..1, a little over on noise). */
export function cpuShareProbe(ms = PROBE_MS): number {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  let x = 0;
  while (performance.now() - t0 < ms)
    for (let k = 0; k < 1000; k++) x = (x * 1103515245 + 12345) % 2147483648;
  const wall = performance.now() - t0;
  const c = process.cpuUsage(c0);
  // Keep x alive so the loop is not optimised away.
  if (x < 0) throw new Error('unreachable');
  return wall > 0 ? (c.user + c.system) / 1000 / wall : 1;
}

/** A recorder of the machine's state around live runs: call probe() before the first and after each. */
export class NoiseMeter {
  private readonly shares: number[] = [];
  private loadBefore = 0;

  probe(): number {
    if (this.shares.length === 0) this.loadBefore = loadavg()[0];
    const s = cpuShareProbe();
    this.shares.push(s);
    return s;
  }

  result(): MachineNoise {
    return {
      cores: availableParallelism(),
      load_before: round3(this.loadBefore),
      load_after: round3(loadavg()[0]),
      cpu_share: this.shares.map(round3),
    };
  }
}

/**
 * The farthest value from the median, as a percentage of the median: null with fewer than two values or
 * a zero median.
 */
export function spreadPct(xs: readonly number[]): number | null {
  if (xs.length < 2) return null;
  const med = medianOf(xs);
  if (!(med > 0)) return null;
  let far = 0;
  for (const x of xs) far = Math.max(far, Math.abs(x - med));
  return (far / med) * 100;
}

/** Median of a non-empty list (mean of the middle two for an even count). */
export function medianOf(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const h = s.length >> 1;
  return s.length % 2 ? s[h] : (s[h - 1] + s[h]) / 2;
}

/**
 * The verdict on `error_pct` (null: no error could be computed) against `max_pct`, given the live runs'
 * spread `noise_pct` (null: one run) and the lowest probe CPU share.
 */
export function judge(
  error_pct: number | null,
  max_pct: number,
  noise_pct: number | null,
  min_cpu_share: number,
): { verdict: Verdict; reason: string } {
  const e = error_pct;
  const f = (x: number) => `${x.toFixed(1)}%`;
  if (e === null)
    return { verdict: 'fail', reason: 'no median end-to-end error: a run completed no request' };
  if (noise_pct === null) {
    if (min_cpu_share < MIN_CPU_SHARE)
      return {
        verdict: 'inconclusive',
        reason:
          `one live run on a busy machine (it got ${Math.round(min_cpu_share * 100)}% of a core at worst, ` +
          `under ${MIN_CPU_SHARE * 100}%): use --repeat 3 to measure the noise`,
      };
    return e <= max_pct
      ? { verdict: 'pass', reason: `error ${f(e)} within ${f(max_pct)} (one live run: noise not measured)` }
      : { verdict: 'fail', reason: `error ${f(e)} over ${f(max_pct)} (one live run: noise not measured)` };
  }
  const n = noise_pct;
  if (e > max_pct + n)
    return {
      verdict: 'fail',
      reason: `error ${f(e)} over the ${f(max_pct)} limit by more than the machine's noise (${f(n)})`,
    };
  if (n > max_pct)
    return {
      verdict: 'inconclusive',
      reason: `the live runs differ from each other by up to ${f(n)}, more than the ${f(max_pct)} limit: too noisy to judge`,
    };
  if (e <= max_pct)
    return { verdict: 'pass', reason: `error ${f(e)} within ${f(max_pct)}; live runs agree within ${f(n)}` };
  return {
    verdict: 'inconclusive',
    reason: `error ${f(e)} over ${f(max_pct)} but within the machine's noise (${f(n)}) of it`,
  };
}

const round3 = (x: number) => Math.round(x * 1000) / 1000;
