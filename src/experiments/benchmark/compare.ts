/**
 * Predicted vs measured, as fidelity.json states it (issue #11): per stage (and 'all', compared with the
 * summary file) the requests sent and failed on both sides and, for each latency metric, predicted and
 * actual ms and the signed relative error (predicted − actual) / actual; the summary holds each metric's
 * mean absolute relative error over the numbered stages (a fraction). Latency is over successful
 * requests on both sides, as inference-perf reports it; a metric one side has no value for (no request
 * succeeded) has error null and is left out of the summary.
 */
import { type Experiment, MEASURED_METRICS, type MeasuredMetric } from './measured.js';
import type { Prediction } from './simulate.js';

interface MetricComparison {
  predicted: number | null;
  actual: number | null;
  error: number | null;
}

interface StageComparison {
  stage: number | 'all';
  rate: number | null;
  requests: { predicted: number; actual: number };
  failed: { predicted: number; actual: number };
  metrics: Record<MeasuredMetric, MetricComparison>;
}

export interface BenchFidelity {
  experiment: string;
  wall_s: number;
  stages: StageComparison[];
  summary: Record<MeasuredMetric, { mape: number | null }>;
}

const num = (v: number) => (Number.isFinite(v) ? Math.round(v * 1e6) / 1e6 : null);

export function compareExperiment(exp: Experiment, p: Prediction): BenchFidelity {
  const stages = exp.stages.map((m, i): StageComparison => {
    const q = p.stages[i];
    const metrics = {} as Record<MeasuredMetric, MetricComparison>;
    for (const k of MEASURED_METRICS) {
      const pred = q.metrics[k];
      const act = m.metrics[k];
      const ok = Number.isFinite(pred) && Number.isFinite(act) && act > 0;
      metrics[k] = { predicted: num(pred), actual: num(act), error: ok ? num((pred - act) / act) : null };
    }
    return {
      stage: m.stage,
      rate: m.rate,
      requests: { predicted: q.requests, actual: m.successes + m.failures },
      failed: { predicted: q.failed, actual: m.failures },
      metrics,
    };
  });
  const summary = {} as BenchFidelity['summary'];
  for (const k of MEASURED_METRICS) {
    const errs = stages
      .filter((s) => s.stage !== 'all')
      .map((s) => s.metrics[k].error)
      .filter((e): e is number => e !== null);
    summary[k] = { mape: errs.length ? num(errs.reduce((a, e) => a + Math.abs(e), 0) / errs.length) : null };
  }
  return { experiment: exp.name, wall_s: num(p.wall_ms / 1000) ?? 0, stages, summary };
}

/** Median |error| of one metric over the numbered stages (null when no stage has it). */
export function medianAbsError(f: BenchFidelity, metric: MeasuredMetric): number | null {
  const errs = f.stages
    .filter((s) => s.stage !== 'all')
    .map((s) => s.metrics[metric].error)
    .filter((e): e is number => e !== null)
    .map(Math.abs)
    .sort((a, b) => a - b);
  if (errs.length === 0) return null;
  const h = errs.length >> 1;
  return errs.length % 2 ? errs[h] : (errs[h - 1] + errs[h]) / 2;
}
