/**
 * Fidelity on CPU with a model synthesized into a temporary folder: the profile is calibrated when
 * missing (and written beside the model), the same traffic runs live and simulated, and every error is a
 * finite number; the command writes fidelity.json, fidelity.md and the overlay chart.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { synthesizeGguf } from '../src/backends/gguf/synth.js';
import { main } from '../src/cli/index.js';
import type { FidelityResult } from '../src/experiments/fidelity/fidelity.js';
import { ape, compareFidelity } from '../src/experiments/fidelity/fidelity.js';
import { idleMs, runFidelity } from '../src/experiments/fidelity/run-fidelity.js';
import { runScenario } from '../src/experiments/run-scenario.js';
import { loadScenarioFile } from '../src/scenario/load.js';

const dir = mkdtempSync(join(tmpdir(), 'routesim-fidelity-'));
const file = join(dir, 'fid.yaml');

beforeAll(() => {
  synthesizeGguf(join(dir, 'tiny.gguf'), { vocab: 300, context: 512 });
  writeFileSync(
    file,
    `name: fid
seed: 5
router: { strategy: round_robin, max_load_threshold: 1000 }
models:
  - id: tiny
    backend: gguf
    path: tiny.gguf
    gpu: false
    max_concurrency: 2
    context_size: 128
  - id: sim
    latency: { ttft: 5ms, tpot: 1ms }
traffic:
  arrivals: { process: poisson, rate: 40/s }
  requests: 16
  prompt_tokens: { dist: uniform, min: 4, max: 24 }
  output_tokens: { dist: uniform, min: 2, max: 8 }
`,
  );
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('ape', () => {
  it('is the absolute percentage error, with the zero cases defined', () => {
    expect(ape(100, 93)).toBeCloseTo(7, 10);
    expect(ape(100, 110)).toBeCloseTo(10, 10);
    expect(ape(0, 0)).toBe(0);
    expect(ape(0, 3)).toBeNull();
    expect(ape(Number.NaN, 3)).toBeNull();
  });
});

describe('fidelity', () => {
  it('calibrates a missing profile, runs live and simulated, and gives finite errors', async () => {
    const loaded = loadScenarioFile(file);
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.issues));
    const s = loaded.scenario;
    expect(idleMs(s)).toBe(50); // 2 models at 40/s: a request every 50 ms per model
    const lines: string[] = [];
    const r = await runFidelity(s, {
      threads: 1,
      calibrate: { prompt_lengths: [8, 32], max_seqs: 2, repeats: 2, decode_tokens: 4 },
      onLog: (l) => lines.push(l),
    });
    expect(r.calibrated).toEqual([join(dir, 'tiny.profile.json')]);
    expect(lines.some((l) => /no profile .*calibrating first/.test(l))).toBe(true);
    const f = r.fidelity;
    expect(f.requests).toEqual({ live: 16, sim: 16, live_completed: 16, sim_completed: 16 });
    const names = f.metrics.map((m) => m.metric);
    for (const k of [
      'latency.e2e_ms.p50',
      'latency.ttft_ms.p99',
      'models.tiny.e2e_ms.p90',
      'models.tiny.share',
    ])
      expect(names).toContain(k);
    for (const m of f.metrics) {
      expect(Number.isFinite(m.live)).toBe(true);
      expect(Number.isFinite(m.sim)).toBe(true);
      expect(m.ape_pct === null || Number.isFinite(m.ape_pct)).toBe(true);
    }
    // Round robin: the shares are the same live and simulated, exactly.
    expect(f.metrics.find((m) => m.metric === 'models.tiny.share')).toMatchObject({
      live: 0.5,
      sim: 0.5,
      ape_pct: 0,
    });
    expect(Number.isFinite(f.summary.e2e_p50_ape_pct!)).toBe(true);
    expect(f.models[0].simulated_with).toBe('profile tiny.profile.json');
  }, 60_000);

  it('writes fidelity.json, fidelity.md and the CDF overlay from the command line', async () => {
    const out = join(dir, 'out');
    let stdout = '';
    const code = await main(['fidelity', file, '--out', out, '--threads', '1', '--max-error', '1000000'], {
      stdout: (t) => (stdout += t),
      stderr: () => undefined,
      isTTY: false,
    });
    expect(code).toBe(0);
    expect(stdout).toMatch(/median e2e error [\d.]+%/);
    const f = JSON.parse(readFileSync(join(out, 'fidelity.json'), 'utf8')) as FidelityResult;
    expect(f.summary.pass).toBe(true);
    expect(readFileSync(join(out, 'fidelity.md'), 'utf8')).toMatch(/\| latency.e2e_ms.p50 \|/);
    expect(existsSync(join(out, 'charts', 'fidelity-cdf.png'))).toBe(true);
  }, 60_000);

  it('gates on the median end-to-end error', async () => {
    const loaded = loadScenarioFile(file);
    if (!loaded.ok) throw new Error('load');
    const { report } = await runScenario(loaded.scenario);
    const same = compareFidelity(report, report, { speed: 1, max_error_pct: 10, models: [] });
    expect(same.summary).toMatchObject({ e2e_p50_ape_pct: 0, latency_median_ape_pct: 0, pass: true });
    // The simulation 20% slow at the median: |1.2x − x| / x = 16.7% > 10%.
    const live = structuredClone(report);
    live.latency.e2e_ms.p50 = report.latency.e2e_ms.p50 / 1.2;
    const off = compareFidelity(live, report, { speed: 1, max_error_pct: 10, models: [] });
    expect(off.summary.e2e_p50_ape_pct).toBeCloseTo(20, 4);
    expect(off.summary.pass).toBe(false);
    expect(compareFidelity(live, report, { speed: 1, max_error_pct: 25, models: [] }).summary.pass).toBe(
      true,
    );
  });
});
