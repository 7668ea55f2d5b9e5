/**
 * Fidelity: how far a simulated run is from the live run of the same traffic, per metric, as the absolute
 * percentage error |sim − live| / live × 100 (null where the live value is 0 and the simulated one is not:
 * no percentage exists; 0 where both are 0). Metrics: TTFT and end-to-end p50/p90/p99 over all requests
 * and per model (models that completed a request live), and each model's share of the routing decisions.
 *
 * The headline is `e2e_p50_ape_pct`: the error of the median end-to-end latency over all requests (the
 * "median E2E error" BLIS and Vidur report); the gate `pass` compares it with `max_error_pct`.
 */
import type { Report } from '../../report/types.js';

interface FidelityMetric {
  /** Report path, e.g. latency.e2e_ms.p50 or models.tiny-a.share. */
  metric: string;
  live: number;
  sim: number;
  /** Absolute percentage error; null when live is 0 and sim is not. */
  ape_pct: number | null;
}

export interface FidelityModel {
  id: string;
  backend: 'sim' | 'gguf';
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
    pass: boolean;
  };
  /** Per model e2e/ttft quantiles of both runs (report.cdf), for the overlay chart. */
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

/** Compare a live report with the simulated report of the same scenario and traffic. */
export function compareFidelity(
  live: Report,
  sim: Report,
  opts: { speed: number; max_error_pct: number; models: FidelityModel[] },
): FidelityResult {
  const metrics: FidelityMetric[] = [];
  const latencyApes: number[] = [];
  const add = (metric: string, l: number, s: number, latency: boolean) => {
    const e = ape(l, s);
    metrics.push({ metric, live: r6(l), sim: r6(s), ape_pct: e === null ? null : r6(e) });
    if (latency && e !== null) latencyApes.push(e);
  };
  for (const k of ['ttft_ms', 'e2e_ms'] as const)
    for (const q of QS) add(`latency.${k}.${q}`, live.latency[k][q], sim.latency[k][q], true);
  for (const id of Object.keys(live.models)) {
    const lm = live.models[id];
    const sm = sim.models[id];
    if (!sm) continue;
    if (lm.completed > 0 && sm.completed > 0)
      for (const k of ['ttft_ms', 'e2e_ms'] as const)
        for (const q of QS) add(`models.${id}.${k}.${q}`, lm[k][q], sm[k][q], true);
    add(`models.${id}.share`, lm.share, sm.share, false);
  }
  const head = metrics.find((m) => m.metric === 'latency.e2e_ms.p50')?.ape_pct ?? null;
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
      pass: head !== null && head <= opts.max_error_pct,
    },
    cdf: {
      quantiles: live.cdf.quantiles.slice(),
      live: { e2e_ms: live.cdf.e2e_ms, ttft_ms: live.cdf.ttft_ms },
      sim: { e2e_ms: sim.cdf.e2e_ms, ttft_ms: sim.cdf.ttft_ms },
    },
  };
}
