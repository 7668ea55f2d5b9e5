/**
 * One measured experiment, simulated: the imported scenario (import.ts) loaded as if written beside the
 * experiment, with the coefficients given (a set of numbers, or none for the file's / the physics
 * defaults), run to its end, and read out per stage in the measured figures' terms. The loaded scenario
 * is kept so that a fitter can run it again and again with other coefficients without re-reading files.
 */

import { join } from 'node:path';
import type { VllmCoefficients } from '../../core/engine-spec.js';
import { UserError } from '../../core/errors.js';
import type { Histogram } from '../../metrics/histogram.js';
import { simulate } from '../../run/run.js';
import { loadScenario, scenarioIssuesToUserError } from '../../scenario/load.js';
import type { Scenario } from '../../scenario/types.js';
import { type ImportOptions, importScenarioText } from './import.js';
import type { Experiment, MeasuredMetric } from './measured.js';

/**
 * Streamed chunks per output token in the measured runs. inference-perf's inter_token_latency is the mean
 * gap between consecutive streamed chunks, and vLLM's completions stream arrived there as two chunks per
 * token (half the gaps are ~30 µs: the measured ITL median is 0.03-0.15 ms while its p75 is the step
 * time), so its ITL mean is (e2e − ttft) / (2 × output − 1), about half the token cadence (the measured
 * ratio of (e2e − ttft) / (output − 1) to ITL mean is 2.03-2.05 on every run with full outputs).
 * The simulated figure is converted the same way.
 */
const STREAM_CHUNKS_PER_TOKEN = 2;

interface PredictedStage {
  stage: number | 'all';
  /** Requests sent, and those that failed (errors and client timeouts). */
  requests: number;
  failed: number;
  /** Over completed requests, ms (itl_mean in inference-perf's per-chunk sense); NaN when none completed. */
  metrics: Record<MeasuredMetric, number>;
}

export interface Prediction {
  stages: PredictedStage[];
  wall_ms: number;
}

/** The experiment's scenario, loaded (its files read once). Throws UserError for a file that is not usable. */
export function experimentScenario(exp: Experiment, opts: ImportOptions = {}): Scenario {
  const text = importScenarioText(exp, exp.dir, opts);
  const loaded = loadScenario(text, join(exp.dir, 'routesim-scenario.yaml'));
  if (!loaded.ok) throw scenarioIssuesToUserError(loaded.issues);
  return loaded.scenario;
}

/** `scenario` with every engine model's coefficients replaced by `c` (the scenario itself is not changed). */
export function withCoefficients(scenario: Scenario, c: VllmCoefficients): Scenario {
  return {
    ...scenario,
    models: scenario.models.map((m) =>
      m.latency.model === 'engine'
        ? { ...m, latency: { model: 'engine', engine: { ...m.latency.engine, coefficients: { ...c } } } }
        : m,
    ),
  };
}

/** Runs `scenario` (an experiment's) and reads out every stage, then 'all'. */
export async function predict(scenario: Scenario, seed?: number): Promise<Prediction> {
  const s = seed === undefined ? scenario : { ...scenario, seed };
  const r = await simulate(s);
  const m = r.metrics;
  const t = scenario.traffic;
  const n = t.kind === 'inference_perf' ? t.profile.load.stages.length : 0;
  const out = t.kind === 'inference_perf' ? t.profile.data.output_len : 2;
  const chunkGap = (out - 1) / (STREAM_CHUNKS_PER_TOKEN * out - 1);
  const stages: PredictedStage[] = [];
  for (let i = 0; i < n; i++) {
    const st = m.stages.at(i);
    stages.push({
      stage: i,
      requests: st.sent,
      failed: st.failed + st.rejected,
      metrics: figures(st.e2e, st.ttft, st.tpot, chunkGap),
    });
  }
  stages.push({
    stage: 'all',
    requests: m.total,
    failed: m.failed + m.rejected,
    metrics: figures(m.merged('e2e'), m.merged('ttft'), m.tpot, chunkGap),
  });
  if (r.inFlight > 0 && !Number.isFinite(scenario.horizon_ms))
    throw new UserError(`${scenario.name}: ${r.inFlight} requests never finished`);
  return { stages, wall_ms: r.wall_ms };
}

/** The figures of one stage; `chunkGap` turns time per token into the mean gap between streamed chunks. */
function figures(
  e2e: Histogram,
  ttft: Histogram,
  tpot: Histogram,
  chunkGap: number,
): Record<MeasuredMetric, number> {
  const or = (h: Histogram, v: number) => (h.count > 0 ? v : Number.NaN);
  return {
    e2e_mean: or(e2e, e2e.mean()),
    e2e_p90: or(e2e, e2e.quantile(0.9)),
    e2e_p99: or(e2e, e2e.quantile(0.99)),
    ttft_mean: or(ttft, ttft.mean()),
    ttft_p90: or(ttft, ttft.quantile(0.9)),
    ttft_p99: or(ttft, ttft.quantile(0.99)),
    itl_mean: or(tpot, tpot.mean() * chunkGap),
  };
}
