/**
 * Fidelity: how far a simulated run is from the live run of the same traffic, per metric, as the absolute
 * percentage error |sim − live| / live × 100 (null where the live value is 0 and the simulated one is not:
 * no percentage exists; 0 where both are 0). Metrics: TTFT and end-to-end p50/p90/p99 over all requests
 * and per model (models that completed a request live), and each model's share of the routing decisions.
 *
 * The headline is `e2e_p50_ape_pct`: the error of the median end-to-end latency over all requests (the
 * "median E2E error" BLIS and Vidur report). With several live runs of the same traffic, each live value
 * is the median over the runs and `live_spread_pct` says how far the runs strayed from it; the verdict
 * (noise.ts) weighs the headline against `max_error_pct` and that spread: pass, fail or inconclusive.
 */
import type { ModelSpec } from '../../core/types.js';
import type { Report } from '../../report/types.js';
import { judge, type MachineNoise, medianOf, spreadPct, type Verdict } from './noise.js';

interface FidelityMetric {
  /** Report path, e.g. latency.e2e_ms.p50 or models.tiny-a.share. */
  metric: string;
  live: number;
  sim: number;
  /** Absolute percentage error; null when live is 0 and sim is not. */
  ape_pct: number | null;
  /** The farthest one live run strayed from `live`, in percent of it; null with one live run. */
  live_spread_pct: number | null;
}

export interface FidelityModel {
  id: string;
  backend: ModelSpec['backend'];
  /** How the simulated side modelled it (the profile file of a gguf model). */
  simulated_with: string;
  /** The live run's note for it (device, failure). */
  live_note: string;
}

export interface FidelityResult {
  scenario: string;
  seed: number;
  speed: number;
  requests: { live: number; sim: number; live_completed: number; sim_completed: number };
  models: FidelityModel[];
  metrics: FidelityMetric[];
  summary: {
    /** APE of latency.e2e_ms.p50 (the gate). */
    e2e_p50_ape_pct: number | null;
    /** Median APE over every latency metric (ttft and e2e, overall and per model). */
    latency_median_ape_pct: number | null;
    latency_max_ape_pct: number | null;
    max_error_pct: number;
    /** Live runs of the same traffic (each live value is their median). */
    live_runs: number;
    /** live_spread_pct of latency.e2e_ms.p50: the machine's run-to-run noise on the headline. */
    noise_pct: number | null;
    verdict: Verdict;
    /** Why, in words (the noise, the limit, the CPU share the live runs had). */
    verdict_reason: string;
    /** verdict === 'pass'. */
    pass: boolean;
  };
  /** The machine during the live runs (null when not measured, as for reports compared in code). */
  machine: MachineNoise | null;
  /** Per model e2e/ttft quantiles of both runs (report.cdf; live: the run at the median), for the overlay chart. */
  cdf: {
    quantiles: number[];
    live: { e2e_ms: Record<string, number[]>; ttft_ms: Record<string, number[]> };
    sim: { e2e_ms: Record<string, number[]>; ttft_ms: Record<string, number[]> };
  };
}

export const DEFAULT_MAX_ERROR_PCT = 10;
const QS = ['p50', 'p90', 'p99'] as const;

/** |sim − live| / live × 100; 0 when both are 0; null when only live is 0 or either is not finite. */
export function ape(live: number, sim: number): number | null {
  if (!Number.isFinite(live) || !Number.isFinite(sim)) return null;
  if (live === 0) return sim === 0 ? 0 : null;
  return (Math.abs(sim - live) / Math.abs(live)) * 100;
}

function median(xs: number[]): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const h = s.length >> 1;
  return s.length % 2 ? s[h] : (s[h - 1] + s[h]) / 2;
}

const r6 = (x: number) => Math.round(x * 1e6) / 1e6;

/** The run whose median end-to-end latency is the median of the runs' (the lower middle for an even count). */
function medianRun(runs: readonly Report[]): number {
  const order = runs.map((r, i) => ({ i, v: r.latency.e2e_ms.p50 })).sort((a, b) => a.v - b.v || a.i - b.i);
  return order[(order.length - 1) >> 1].i;
}

/**
 * Compare live runs (one report, or several of the same scenario and traffic) with the simulated report.
 * `machine`: what the live runs' machine was like (its lowest CPU share counts when there is one run).
 * Throws on an empty list of live reports.
 */
export function compareFidelity(
  lives: Report | readonly Report[],
  sim: Report,
  opts: { speed: number; max_error_pct: number; models: FidelityModel[]; machine?: MachineNoise },
): FidelityResult {
  const runs: readonly Report[] = Array.isArray(lives) ? lives : [lives as Report];
  if (runs.length === 0) throw new Error('compareFidelity: no live report');
  const metrics: FidelityMetric[] = [];
  const latencyApes: number[] = [];
  const add = (metric: string, ls: number[], s: number, latency: boolean) => {
    const l = medianOf(ls);
    const e = ape(l, s);
    const spread = spreadPct(ls);
    metrics.push({
      metric,
      live: r6(l),
      sim: r6(s),
      ape_pct: e === null ? null : r6(e),
      live_spread_pct: spread === null ? null : r6(spread),
    });
    if (latency && e !== null) latencyApes.push(e);
  };
  const live = runs[medianRun(runs)];
  for (const k of ['ttft_ms', 'e2e_ms'] as const)
    for (const q of QS)
      add(
        `latency.${k}.${q}`,
        runs.map((r) => r.latency[k][q]),
        sim.latency[k][q],
        true,
      );
  for (const id of Object.keys(live.models)) {
    const sm = sim.models[id];
    if (!sm) continue;
    const lms = runs.map((r) => r.models[id]).filter((m) => m !== undefined);
    if (lms.every((m) => m.completed > 0) && sm.completed > 0)
      for (const k of ['ttft_ms', 'e2e_ms'] as const)
        for (const q of QS)
          add(
            `models.${id}.${k}.${q}`,
            lms.map((m) => m[k][q]),
            sm[k][q],
            true,
          );
    add(
      `models.${id}.share`,
      lms.map((m) => m.share),
      sm.share,
      false,
    );
  }
  const headline = metrics.find((m) => m.metric === 'latency.e2e_ms.p50');
  const head = headline?.ape_pct ?? null;
  const noise = headline?.live_spread_pct ?? null;
  const minShare = opts.machine?.cpu_share.length ? Math.min(...opts.machine.cpu_share) : 1;
  const { verdict, reason } = judge(head, opts.max_error_pct, noise, minShare);
  const med = median(latencyApes);
  return {
    scenario: live.scenario,
    seed: live.seed,
    speed: opts.speed,
    requests: {
      live: live.requests.total,
      sim: sim.requests.total,
      live_completed: live.requests.completed,
      sim_completed: sim.requests.completed,
    },
    models: opts.models,
    metrics,
    summary: {
      e2e_p50_ape_pct: head,
      latency_median_ape_pct: med === null ? null : r6(med),
      latency_max_ape_pct: latencyApes.length ? r6(Math.max(...latencyApes)) : null,
      max_error_pct: opts.max_error_pct,
      live_runs: runs.length,
      noise_pct: noise,
      verdict,
      verdict_reason: reason,
      pass: verdict === 'pass',
    },
    machine: opts.machine ?? null,
    cdf: {
      quantiles: live.cdf.quantiles.slice(),
      live: { e2e_ms: live.cdf.e2e_ms, ttft_ms: live.cdf.ttft_ms },
      sim: { e2e_ms: sim.cdf.e2e_ms, ttft_ms: sim.cdf.ttft_ms },
    },
  };
}
