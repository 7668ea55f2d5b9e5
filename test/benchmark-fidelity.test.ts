/**
 * Measured inference-perf experiments end to end: import round trip, the inference-perf traffic key's
 * errors, fidelity --benchmark on a shipped experiment with the shipped coefficients, and calibration
 * recovering known coefficients from a synthetic ground truth.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PHYSICS_DEFAULTS } from '../src/backends/sim/vllm/coefficients.js';
import type { Experiment } from '../src/experiments/benchmark/measured.js';
import { readExperiment } from '../src/experiments/benchmark/measured.js';
import { experimentScenario, predict, withCoefficients } from '../src/experiments/benchmark/simulate.js';
import { fitCoefficients, wholeStageRefine, windowed } from '../src/experiments/calibrate/benchmark-fit.js';
import { loadScenarioFile } from '../src/scenario/load.js';
import type { Scenario } from '../src/scenario/types.js';
import { runCli } from './testkit.js';

const ROOT = join(import.meta.dirname, '..');
const DATA = join(ROOT, 'data', 'vllm-h100');
const GENERAL = join(DATA, 'experiments', '20260217-231439-llama-2-7b-tp1-general');
const PROFILE = join(ROOT, 'profiles', 'h100-vllm.json');
const tmp = mkdtempSync(join(tmpdir(), 'routesim-bench-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('import inference-perf', () => {
  it('writes a scenario that loads back to the experiment: server arguments, model, GPU and traffic', async () => {
    const out = join(tmp, 'imported', 'general.yaml');
    const r = await runCli(['import', 'inference-perf', GENERAL, '--out', out]);
    expect(r.code).toBe(0);
    const loaded = loadScenarioFile(out);
    if (!loaded.ok) throw new Error(loaded.issues.map((i) => i.message).join('\n'));
    const s = loaded.scenario;
    expect(s.models).toHaveLength(1);
    const l = s.models[0].latency;
    if (l.model !== 'engine') throw new Error('expected an engine model');
    expect(l.engine).toMatchObject({
      kind: 'vllm',
      tp: 1,
      max_num_seqs: 128,
      max_num_batched_tokens: 2048,
      max_model_len: 4096,
      prefix_caching: true,
      model_config: join(DATA, 'models', 'Llama-2-7b-hf', 'config.json'),
      gpu: join(DATA, 'hardware', 'h100-sxm.json'),
      // No --coefficients: the shipped profile fitted on this GPU (test/shipped-profile.test.ts).
      coefficients_path: 'h100-vllm',
    });
    expect(l.engine.arch).toMatchObject({ layers: 32, hidden: 4096, kv_heads: 32 });
    if (s.traffic.kind !== 'inference_perf') throw new Error('expected inference-perf traffic');
    expect(s.traffic.profile).toEqual(readExperiment(GENERAL).profile);
    // The profile sets no request timeout: the client's default, 300 s, is the scenario's client timeout.
    expect(s.client_timeout_ms).toBe(300_000);
  });

  it('replays the workload as inference-perf resolved it (inference-perf-config.yaml), not profile.yaml', () => {
    // profile.yaml asks for 9 system prompts x 5 users, multi-turn; inference-perf knew neither spelling and
    // ran its defaults, 10 groups x 10 prompts, single turn: 100 distinct prompts, each cold once.
    const exp = readExperiment(GENERAL);
    expect(exp.profile.data).toMatchObject({ system_prompts: 10, users_per_prompt: 10, multi_turn: false });
    expect(exp.profile.load.stages).toEqual([
      { rate: 8, duration_s: 600 },
      { rate: 20, duration_s: 600 },
    ]);
  });

  it('refuses an --out that is a file it reads, and a --gpu that would not load (exit 2, nothing written)', async () => {
    // A copy of the data set's layout, so that a regression destroys nothing of the repository's.
    const { cpSync, existsSync } = await import('node:fs');
    const root = join(tmp, 'layout');
    const exp = join(root, 'experiments', 'general');
    cpSync(GENERAL, exp, { recursive: true });
    cpSync(join(DATA, 'models', 'Llama-2-7b-hf'), join(root, 'models', 'Llama-2-7b-hf'), { recursive: true });
    cpSync(join(DATA, 'hardware'), join(root, 'hardware'), { recursive: true });
    const inputs = [
      join(exp, 'exp-config.yaml'), // `--out DIR/exp-config.yaml` once replaced it and exited 0
      join(exp, 'profile.yaml'),
      join(exp, 'inference-perf-config.yaml'),
      join(exp, 'stage_0_lifecycle_metrics.json'),
      join(root, 'models', 'Llama-2-7b-hf', 'config.json'),
      join(root, 'hardware', 'h100-sxm.json'),
    ];
    for (const f of inputs) {
      const before = readFileSync(f, 'utf8');
      const r = await runCli(['import', 'inference-perf', exp, '--out', f]);
      expect(r.code, f).toBe(2);
      expect(r.err).toContain(`--out ${f} is the input`);
      // calibrate --benchmark refuses it before fitting (it too replaced exp-config.yaml, after the fit).
      const c = await runCli(['calibrate', '--benchmark', exp, '--out', f, '--max-evals', '1']);
      expect(c.code, f).toBe(2);
      expect(c.err).toContain(`--out ${f} is the input`);
      expect(c.err).not.toContain('fitting');
      expect(readFileSync(f, 'utf8')).toBe(before);
    }
    const fit = await runCli(['calibrate', '--benchmark', exp, '--fit', 'bogus,api_overhead']);
    expect(fit.code).toBe(2);
    expect(fit.err).toContain("unknown coefficient 'bogus', 'api_overhead' (did you mean api_overhead_ms?)");
    const out = join(tmp, 'gpu.yaml');
    const g = await runCli(['import', 'inference-perf', exp, '--out', out, '--gpu', 'h100']);
    expect(g.code).toBe(2);
    expect(g.err).toContain('--gpu h100: not a built-in GPU (h100-sxm) nor a usable datasheet file');
    expect(g.err).toContain('did you mean h100-sxm?');
    expect(existsSync(out)).toBe(false);
    const f = await runCli(['fidelity', '--benchmark', exp, '--gpu', 'a100', '--out', join(tmp, 'f-gpu')]);
    expect(f.code).toBe(2);
    expect(f.err).toContain('--gpu a100: not a built-in GPU');
    expect(f.err).not.toContain('routesim-scenario.yaml');
  });

  it('names the file and field of a broken experiment (exit 2)', async () => {
    const dir = join(tmp, 'broken');
    const { cpSync } = await import('node:fs');
    cpSync(GENERAL, dir, { recursive: true });
    writeFileSync(join(dir, 'exp-config.yaml'), 'model: m\ntensor_parallelism: two\n');
    const r = await runCli(['import', 'inference-perf', dir, '--out', join(tmp, 'x.yaml')]);
    expect(r.code).toBe(2);
    expect(r.err).toContain(
      `${join(dir, 'exp-config.yaml')}: \`tensor_parallelism\`: expected a whole number`,
    );
    cpSync(join(GENERAL, 'exp-config.yaml'), join(dir, 'exp-config.yaml'));
    const stage = JSON.parse(readFileSync(join(dir, 'stage_1_lifecycle_metrics.json'), 'utf8'));
    delete stage.successes.latency.time_to_first_token.p99;
    writeFileSync(join(dir, 'stage_1_lifecycle_metrics.json'), JSON.stringify(stage));
    const f = await runCli(['fidelity', '--benchmark', dir, '--out', join(tmp, 'f-broken')]);
    expect(f.code).toBe(2);
    expect(f.err).toContain(
      `${join(dir, 'stage_1_lifecycle_metrics.json')}: \`successes.latency.time_to_first_token.p99\`: expected seconds`,
    );
  });

  it('reports a bad inference-perf profile at its file:line:column, from the scenario that names it', async () => {
    const profile = join(tmp, 'bad-profile.yaml');
    writeFileSync(
      profile,
      'data:\n  type: shared_prefix\n  shared_prefix:\n    num_groups: 2\n    num_prompts_per_group: 2\n    system_prompt_len: 10\n    question_len: 0\n    output_len: 5\nload:\n  stages: [{ rate: 1, duration: 10 }]\n',
    );
    const scenario = join(tmp, 'bad-profile-scenario.yaml');
    writeFileSync(
      scenario,
      `models:\n  - id: a\n    latency: { ttft: 10ms, tpot: 1ms }\ntraffic:\n  inference_perf: bad-profile.yaml\n`,
    );
    const r = await runCli(['validate', scenario]);
    expect(r.code).toBe(2);
    expect(r.err).toContain(
      `${profile}:7:19: data.shared_prefix.question_len: expected a whole number from 1 to 1000000, got 0`,
    );
  });
});

describe('fidelity --benchmark', () => {
  it('predicts the shipped Llama-2-7b general run with the shipped H100 profile, in the stated format', async () => {
    const out = join(tmp, 'fidelity');
    const r = await runCli(['fidelity', '--benchmark', GENERAL, '--coefficients', PROFILE, '--out', out]);
    const f = JSON.parse(readFileSync(join(out, 'fidelity.json'), 'utf8'));
    expect(Object.keys(f)).toEqual(['experiment', 'wall_s', 'stages', 'summary']);
    expect(f.experiment).toBe('20260217-231439-llama-2-7b-tp1-general');
    expect(f.stages.map((s: { stage: unknown }) => s.stage)).toEqual([0, 1, 'all']);
    expect(f.stages[0].requests).toEqual({ predicted: 4800, actual: 4800 });
    expect(f.stages[1].requests).toEqual({ predicted: 12000, actual: 12000 });
    expect(f.stages[2].failed).toEqual({ predicted: 0, actual: 0 });
    expect(Object.keys(f.stages[0].metrics)).toEqual([
      'e2e_mean',
      'e2e_p90',
      'e2e_p99',
      'ttft_mean',
      'ttft_p90',
      'ttft_p99',
      'itl_mean',
    ]);
    const m = f.stages[0].metrics.e2e_mean;
    expect(m.actual).toBeCloseTo(2057.600319, 5);
    expect(m.error).toBeCloseTo((m.predicted - m.actual) / m.actual, 5);
    // The bound: over seeds 1..10 (random arrival times, as inference-perf's constant load has) this run's
    // largest stage E2E-mean error with the shipped profile is E2E_BOUND_SEEN (−2.3%, the 8 req/s stage
    // of seed 3; seed 1, the one run here, gives −1.8% and −0.8%). The test allows the 5% the README's target names, so a refit
    // may move it, a broken engine or comparison may not.
    for (const s of f.stages) expect(Math.abs(s.metrics.e2e_mean.error)).toBeLessThan(E2E_BOUND);
    expect(r.code).toBe(0);
    expect(readFileSync(join(out, 'fidelity.md'), 'utf8')).toContain('| 0 | e2e_mean |');
  }, 60_000);

  it('exits 1 when the median E2E-mean error is above --max-error', async () => {
    const r = await runCli([
      'fidelity',
      '--benchmark',
      GENERAL,
      '--coefficients',
      PROFILE,
      '--max-error',
      '0.001',
      '--out',
      join(tmp, 'fidelity-strict'),
    ]);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/FAIL/);
  }, 60_000);
});

/**
 * The general experiment's first 20 s of each stage, and an experiment whose "measurements" are that
 * scenario simulated with known coefficients (memory efficiency 0.62, API overhead 25 ms).
 */
async function syntheticTruth(): Promise<{ scenario: Scenario; synthetic: Experiment }> {
  const exp = readExperiment(GENERAL);
  const scenario = windowed(experimentScenario(exp), 20);
  const truth = { ...PHYSICS_DEFAULTS, memory_efficiency: 0.62, api_overhead_ms: 25 };
  const p = await predict(withCoefficients(scenario, truth));
  const synthetic: Experiment = {
    ...exp,
    stages: exp.stages.map((s, i) => ({
      ...s,
      successes: p.stages[i].requests - p.stages[i].failed,
      failures: p.stages[i].failed,
      metrics: p.stages[i].metrics,
    })),
  };
  return { scenario, synthetic };
}

describe('calibrate by simulation', () => {
  it('recovers known coefficients from a ground truth simulated with them (within 5%)', async () => {
    const { scenario, synthetic } = await syntheticTruth();
    const r = await fitCoefficients([{ exp: synthetic, scenario }], {
      window_s: Number.POSITIVE_INFINITY,
      keys: ['memory_efficiency', 'api_overhead_ms'],
      maxEvals: 120,
    });
    expect(Math.abs(r.coefficients.memory_efficiency / 0.62 - 1)).toBeLessThan(0.05);
    expect(Math.abs(r.coefficients.api_overhead_ms / 25 - 1)).toBeLessThan(0.05);
    // The keys not fitted stay where they started.
    expect(r.coefficients.compute_efficiency).toBe(PHYSICS_DEFAULTS.compute_efficiency);
    expect(r.score).toBeLessThan(1e-3);
  }, 120_000);

  it('refines on whole stages from where the windowed fit stopped', async () => {
    const { scenario, synthetic } = await syntheticTruth();
    // The windowed fit (1 s of each stage, one evaluation) stays at the physics defaults; the refinement
    // alone, on the whole 20 s stages, has to find the truth, and its evaluations are counted on.
    const seen: number[] = [];
    const r = await fitCoefficients([{ exp: synthetic, scenario }], {
      window_s: 1,
      maxEvals: 1,
      keys: ['memory_efficiency', 'api_overhead_ms'],
      refine: { window_s: Number.POSITIVE_INFINITY, maxEvals: 120, step: 0.3 },
      onEval: (_c, _s, n) => seen.push(n),
    });
    expect(Math.abs(r.coefficients.memory_efficiency / 0.62 - 1)).toBeLessThan(0.05);
    expect(Math.abs(r.coefficients.api_overhead_ms / 25 - 1)).toBeLessThan(0.05);
    expect(r.score).toBeLessThan(1e-3);
    expect(r.evals).toBe(seen.length);
    expect(seen).toEqual(seen.map((_, i) => i + 1));
    expect(r.evals).toBeGreaterThan(10);
    expect(r.evals).toBeLessThanOrEqual(121 + 2);
  }, 120_000);

  it('refines the step-time coefficients on whole stages, not the first-token offsets', () => {
    expect(wholeStageRefine(60)).toEqual({
      window_s: Number.POSITIVE_INFINITY,
      maxEvals: 60,
      keys: [
        'compute_efficiency',
        'memory_efficiency',
        'step_overhead_ms',
        'seq_overhead_ms',
        'allreduce_us',
        'layer_overhead_us',
      ],
    });
    expect(wholeStageRefine(5, ['api_overhead_ms', 'allreduce_us']).keys).toEqual(['allreduce_us']);
  });
});

const E2E_BOUND_SEEN = 0.0228;
const E2E_BOUND = Math.max(E2E_BOUND_SEEN * 1.5, 0.05);
