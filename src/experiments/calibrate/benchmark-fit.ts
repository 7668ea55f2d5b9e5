/**
 * Fitting the engine's coefficients to measured experiments by simulation (calibrate --benchmark): every
 * evaluation simulates each experiment with the candidate coefficients and scores the predicted stage
 * figures against the measured ones; bounded Nelder-Mead (nelder-mead.ts) on a ratio scale within
 * COEFFICIENT_BOUNDS, from the physics defaults, minimises the score. Deterministic (fixed seed, no
 * random restarts).
 *
 * The score of one experiment is the mean over its stages of Σ weight × |log(predicted / measured)| over
 * the E2E mean and p99, TTFT mean and ITL mean (log errors: a 10% miss costs the same on a 50 ms TTFT as on
 * a 5 s E2E; absolute, not squared, so that one stage near saturation does not outweigh the rest — on the
 * shipped data the squared loss gave 5.0% in-sample median E2E error, this one 3.3%); an overloaded run (most requests failed) is scored on its failed share and TTFT mean
 * instead, where latency over the few successes says little. The fit's score is the mean over experiments.
 * For speed each stage is simulated over its first `window_s` seconds only; that assumes a stage is
 * stationary after a few seconds, which fails near saturation (queues that build up over minutes), so a
 * `refine` step then continues from the windowed fit's result on longer windows (whole stages), with a
 * smaller simplex and few evaluations: the cheap fit finds the region, the whole stages settle the
 * tails. Fidelity and cross-validation simulate whole experiments.
 */
import {
  COEFFICIENT_BOUNDS,
  COEFFICIENT_KEYS,
  PHYSICS_DEFAULTS,
} from '../../backends/sim/vllm/coefficients.js';
import type { VllmCoefficients } from '../../core/engine-spec.js';
import type { Scenario } from '../../scenario/types.js';
import { type Experiment, isOverloaded, type MeasuredMetric } from '../benchmark/measured.js';
import { type Prediction, predict, withCoefficients } from '../benchmark/simulate.js';
import { type FitParam, nelderMead } from './nelder-mead.js';

/** Weight of each latency figure in the score. */
const FIT_WEIGHTS: Readonly<Partial<Record<MeasuredMetric, number>>> = {
  e2e_mean: 2,
  e2e_p99: 1,
  ttft_mean: 1,
  itl_mean: 2,
};

/**
 * The first-token offsets: they move the TTFT by a constant and are fitted on the windows, where the
 * TTFT is the unqueued one; on whole stages the queueing TTFT of the stages near saturation (which an
 * offset cannot reproduce) would pull them up and every other run's TTFT with them.
 */
const FIRST_TOKEN_KEYS: ReadonlySet<keyof VllmCoefficients> = new Set([
  'api_overhead_ms',
  'tp_first_token_ms',
]);

/**
 * The refinement calibrate and the fidelity bench use: `maxEvals` evaluations on whole stages of the
 * step-time keys among `keys` (the first-token offsets keep the windowed fit's values).
 */
export function wholeStageRefine(
  maxEvals: number,
  keys: readonly (keyof VllmCoefficients)[] = COEFFICIENT_KEYS,
): NonNullable<FitSettings['refine']> {
  return {
    window_s: Number.POSITIVE_INFINITY,
    maxEvals,
    keys: keys.filter((k) => !FIRST_TOKEN_KEYS.has(k)),
  };
}

/** A measured experiment with its loaded scenario. */
export interface FitTarget {
  exp: Experiment;
  scenario: Scenario;
}

export interface FitSettings {
  /** Seconds of each stage simulated while fitting (default 120; Infinity = whole stages). */
  window_s?: number;
  maxEvals?: number;
  restarts?: number;
  /** Start here instead of the physics defaults. */
  start?: VllmCoefficients;
  /** Fit only these keys (the others stay at start). Default: all. */
  keys?: readonly (keyof VllmCoefficients)[];
  /** Initial simplex step on the ratio scale (default 0.3, about ±35%). */
  step?: number;
  /**
   * After the fit, continue from its result over `window_s` (Infinity = whole stages) for `maxEvals` more
   * evaluations with an initial step of `step` (default 0.1, about ±10%). Default: no refinement.
   */
  refine?: {
    window_s: number;
    maxEvals: number;
    step?: number;
    /** The keys refined (default: those fitted); the others keep the windowed fit's values. */
    keys?: readonly (keyof VllmCoefficients)[];
  };
  onEval?: (c: VllmCoefficients, score: number, evals: number) => void;
}

export interface FitOutcome {
  coefficients: VllmCoefficients;
  score: number;
  evals: number;
}

/** `scenario` with each stage cut to its first `window_s` seconds. */
export function windowed(scenario: Scenario, window_s: number): Scenario {
  const t = scenario.traffic;
  if (t.kind !== 'inference_perf' || !Number.isFinite(window_s)) return scenario;
  const stages = t.profile.load.stages.map((st) => ({
    ...st,
    duration_s: Math.min(st.duration_s, window_s),
  }));
  return {
    ...scenario,
    traffic: { kind: 'inference_perf', profile: { ...t.profile, load: { ...t.profile.load, stages } } },
  };
}

/** |log(predicted / measured)|: robust (an L1 fit aims at the median error, what the targets quote). */
const logErr = (pred: number, act: number) =>
  Number.isFinite(pred) && pred > 0 && act > 0 ? Math.abs(Math.log(pred / act)) : 5;

/** The score of one experiment's prediction (0 = every figure exact). */
function experimentScore(exp: Experiment, p: Prediction): number {
  const overloaded = isOverloaded(exp);
  let sum = 0;
  let n = 0;
  exp.stages.forEach((m, i) => {
    if (m.stage === 'all') return;
    const q = p.stages[i];
    if (overloaded) {
      const share = (x: { failed: number; requests: number }) => (x.requests > 0 ? x.failed / x.requests : 0);
      sum +=
        4 * (share(q) - m.failures / (m.successes + m.failures)) ** 2 +
        logErr(q.metrics.ttft_mean, m.metrics.ttft_mean);
    } else {
      for (const [k, w] of Object.entries(FIT_WEIGHTS) as [MeasuredMetric, number][])
        sum += w * logErr(q.metrics[k], m.metrics[k]);
    }
    n++;
  });
  return n > 0 ? sum / n : 0;
}

/** The mean score of `targets` simulated with `c` over windows of `window_s`. */
async function scoreOf(
  targets: readonly FitTarget[],
  c: VllmCoefficients,
  window_s: number,
): Promise<number> {
  let s = 0;
  for (const t of targets)
    s += experimentScore(t.exp, await predict(windowed(withCoefficients(t.scenario, c), window_s)));
  return s / Math.max(1, targets.length);
}

/** Fits one set of coefficients to every target. */
export async function fitCoefficients(
  targets: readonly FitTarget[],
  opts: FitSettings = {},
): Promise<FitOutcome> {
  const start = { ...(opts.start ?? PHYSICS_DEFAULTS) };
  const keys = opts.keys ?? COEFFICIENT_KEYS;
  const window_s = opts.window_s ?? 120;
  const params: FitParam[] = keys.map((k) => ({
    name: k,
    min: COEFFICIENT_BOUNDS[k][0],
    max: COEFFICIENT_BOUNDS[k][1],
    init: start[k],
  }));
  const at = (x: readonly number[]): VllmCoefficients => {
    const c = { ...start };
    keys.forEach((k, i) => {
      c[k] = x[i];
    });
    return c;
  };
  const r = await nelderMead(params, (x) => scoreOf(targets, at(x), window_s), {
    maxEvals: opts.maxEvals ?? 200,
    restarts: opts.restarts ?? 2,
    fTol: 1e-5,
    ...(opts.step !== undefined ? { step: opts.step } : {}),
    onEval: (x, fx, evals) => opts.onEval?.(at(x), fx, evals),
  });
  const fitted = { coefficients: at(r.x), score: r.fx, evals: r.evals };
  if (!opts.refine || opts.refine.maxEvals < 1 || opts.refine.keys?.length === 0) return fitted;
  const { refine, ...rest } = opts;
  const refined = await fitCoefficients(targets, {
    ...rest,
    start: fitted.coefficients,
    window_s: refine.window_s,
    maxEvals: refine.maxEvals,
    step: refine.step ?? 0.1,
    keys: refine.keys ?? keys,
    onEval: (c, fx, evals) => opts.onEval?.(c, fx, fitted.evals + evals),
  });
  return { ...refined, evals: fitted.evals + refined.evals };
}
