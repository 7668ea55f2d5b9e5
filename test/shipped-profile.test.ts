/**
 * The shipped coefficient profile by name: `engine: { coefficients: h100-vllm }` reads profiles/h100-vllm.json
 * (the H100 fit of data/vllm-h100/) from wherever routesim is installed, `import inference-perf` and
 * `fidelity --benchmark` use it by default for an experiment on an H100 SXM, `--coefficients none` gives
 * the physics defaults, and a name that is neither a shipped profile nor a file is exit 2 saying which
 * names exist. The compiled CLI is run too, so the profile is found from dist/ (not only from src/).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  coefficientsFor,
  PHYSICS_DEFAULTS,
  readCoefficientsFile,
} from '../src/backends/sim/vllm/coefficients.js';
import { loadScenarioFile } from '../src/scenario/load.js';
import { runCli, tempScenario } from './testkit.js';

const ROOT = join(import.meta.dirname, '..');
const DATA = join(ROOT, 'data', 'vllm-h100');
const GENERAL = join(DATA, 'experiments', '20260217-231439-llama-2-7b-tp1-general');
const CONFIG = join(DATA, 'models', 'Mixtral-8x7B-v0.1', 'config.json');

function shipped() {
  const r = readCoefficientsFile(join(ROOT, 'profiles', 'h100-vllm.json'));
  if (!r.ok) throw new Error(r.problems.join('; '));
  return r.value;
}

function scenarioWith(coefficients: string): string {
  const { file } = tempScenario(
    `name: profile
models:
  - id: m
    engine: { model_config: ${CONFIG}, gpu: h100-sxm, tp: 2, coefficients: ${coefficients} }
traffic: { arrivals: { process: poisson, rate: 2/s }, requests: 20, prompt_tokens: 200, output_tokens: 20 }
`,
    'routesim-profile-',
  );
  return file;
}

function engineOf(file: string) {
  const loaded = loadScenarioFile(file);
  if (!loaded.ok) throw new Error(loaded.issues.map((i) => i.message).join('\n'));
  const l = loaded.scenario.models[0].latency;
  if (l.model !== 'engine') throw new Error('expected an engine model');
  return l.engine;
}

describe('the shipped coefficient profile', () => {
  it('is read by name: its coefficients are what the model simulates with', () => {
    const e = engineOf(scenarioWith('h100-vllm'));
    expect(e.coefficients_path).toBe('h100-vllm');
    const file = shipped();
    // The shipped profile is one cross-model set (README: per-model sets fitted on 120 s windows overfit).
    expect(file.per_model).toBeUndefined();
    expect(e.coefficients).toEqual(file.coefficients);
    expect(e.coefficients).toEqual(coefficientsFor(file, 'Mixtral-8x7B-v0.1'));
    expect(e.coefficients).not.toEqual(PHYSICS_DEFAULTS);
  });

  it('refuses a name that is neither a shipped profile nor a file, at its line (exit 2), also compiled', async () => {
    const file = scenarioWith('h100-vlm');
    const r = await runCli(['validate', file]);
    expect(r.code).toBe(2);
    const column = `    engine: { model_config: ${CONFIG}, gpu: h100-sxm, tp: 2, coefficients: `.length + 1;
    const msg = `s.yaml:4:${column}: models[0].engine.coefficients: coefficients ${join(file, '..', 'h100-vlm')}: not a shipped profile (h100-vllm) and no such file`;
    expect(r.err).toContain(msg);
    const compiled = spawnSync(
      process.execPath,
      [join(ROOT, 'bin/routesim.js'), 'validate', scenarioWith('h100-vllm')],
      {
        encoding: 'utf8',
      },
    );
    // npm test builds dist/ first (pretest); while editing, a stale dist/ falls back to tsx with a note.
    const notes = compiled.stderr.split('\n').filter((l) => l !== '' && !l.includes('through tsx'));
    expect(notes).toEqual([]);
    expect(compiled.status).toBe(0);
  });

  it('is what import inference-perf writes for an H100 experiment; --coefficients none writes none', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'routesim-profile-import-'));
    expect((await runCli(['import', 'inference-perf', GENERAL, '--out', join(dir, 'a.yaml')])).code).toBe(0);
    expect(readFileSync(join(dir, 'a.yaml'), 'utf8')).toContain('      coefficients: h100-vllm\n');
    expect(engineOf(join(dir, 'a.yaml')).coefficients).toEqual(coefficientsFor(shipped(), 'Llama-2-7b-hf'));
    const none = [
      'import',
      'inference-perf',
      GENERAL,
      '--out',
      join(dir, 'b.yaml'),
      '--coefficients',
      'none',
    ];
    expect((await runCli(none)).code).toBe(0);
    expect(readFileSync(join(dir, 'b.yaml'), 'utf8')).not.toContain('coefficients');
    expect(engineOf(join(dir, 'b.yaml')).coefficients).toEqual(PHYSICS_DEFAULTS);
  });

  it('fidelity --benchmark names the coefficients it used and refuses an unknown one with a suggestion', async () => {
    const out = mkdtempSync(join(tmpdir(), 'routesim-profile-fid-'));
    const bad = await runCli([
      'fidelity',
      '--benchmark',
      GENERAL,
      '--coefficients',
      'h100-vlm',
      '--out',
      out,
    ]);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain(
      '--coefficients h100-vlm: not a shipped profile (h100-vllm), not a file, and not `none` (the physics defaults); did you mean h100-vllm?',
    );
  });
});
