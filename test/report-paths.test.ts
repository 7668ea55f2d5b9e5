/**
 * report.json is byte-identical for the same scenario, seed and version, wherever the project is checked
 * out: the scenario's file paths (a trace, a gguf model) go into `config` relative to the scenario's
 * folder. They were once absolute, so two clones of the same project wrote different report.json files.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../src/cli/index.js';

const quiet = { stdout: () => {}, stderr: () => {}, isTTY: false };

const SCENARIO = `name: paths
seed: 3
models:
  - id: a
    latency: { ttft: 10ms, tpot: 1ms }
traffic: { trace: ../traces/t.jsonl, format: native }
`;

/** A checkout-like folder: scenarios/s.yaml replaying traces/t.jsonl. */
function checkout(): string {
  const root = mkdtempSync(join(tmpdir(), 'routesim-paths-'));
  mkdirSync(join(root, 'scenarios'));
  mkdirSync(join(root, 'traces'));
  writeFileSync(join(root, 'scenarios', 's.yaml'), SCENARIO);
  const rows = [0, 120, 250, 900].map((t) =>
    JSON.stringify({ t_ms: t, prompt_tokens: 50, output_tokens: 5 }),
  );
  writeFileSync(join(root, 'traces', 't.jsonl'), `${rows.join('\n')}\n`);
  return root;
}

describe('report.json paths', () => {
  it('are relative to the scenario folder, so two checkouts write the same bytes', async () => {
    const a = checkout();
    const b = mkdtempSync(join(tmpdir(), 'routesim-paths-other-'));
    cpSync(a, b, { recursive: true });
    for (const root of [a, b])
      expect(
        await main(
          ['run', join(root, 'scenarios', 's.yaml'), '--no-charts', '--out', join(root, 'out')],
          quiet,
        ),
      ).toBe(0);
    const ra = readFileSync(join(a, 'out', 'report.json'), 'utf8');
    const rb = readFileSync(join(b, 'out', 'report.json'), 'utf8');
    expect(JSON.parse(ra).config.traffic.path).toBe('../traces/t.jsonl');
    expect(JSON.parse(ra).requests.total).toBe(4);
    expect(ra).not.toContain(a);
    expect(ra).toBe(rb);
  });
});

describe('report.json paths of an engine model and an inference-perf workload', () => {
  const DATA = join(import.meta.dirname, '..', 'data', 'vllm-h100');
  const EXP = '20260217-231439-llama-2-7b-tp1-general';
  const ENGINE_SCENARIO = `name: engine-paths
models:
  - id: v
    engine:
      model_config: ../models/Llama-2-7b-hf/config.json
      gpu: ../hardware/h100-sxm.json
traffic: { inference_perf: ../experiments/${EXP}/profile.yaml }
`;
  function engineCheckout(): string {
    const root = mkdtempSync(join(tmpdir(), 'routesim-engine-paths-'));
    for (const d of ['models/Llama-2-7b-hf', 'hardware', `experiments/${EXP}`])
      cpSync(join(DATA, d), join(root, d), { recursive: true });
    mkdirSync(join(root, 'scenarios'));
    writeFileSync(join(root, 'scenarios', 's.yaml'), ENGINE_SCENARIO);
    return root;
  }

  it('are relative too (model_config, gpu file, profile file), so two checkouts write the same bytes', async () => {
    const a = engineCheckout();
    const b = mkdtempSync(join(tmpdir(), 'routesim-engine-paths-other-'));
    cpSync(a, b, { recursive: true });
    for (const root of [a, b])
      expect(
        await main(
          ['run', join(root, 'scenarios', 's.yaml'), '--no-charts', '--out', join(root, 'out')],
          quiet,
        ),
      ).toBe(0);
    const ra = readFileSync(join(a, 'out', 'report.json'), 'utf8');
    const cfg = JSON.parse(ra).config;
    expect(cfg.models[0].latency.engine.model_config).toBe('../models/Llama-2-7b-hf/config.json');
    expect(cfg.models[0].latency.engine.gpu).toBe('../hardware/h100-sxm.json');
    expect(cfg.traffic.profile.file).toBe(`../experiments/${EXP}/profile.yaml`);
    expect(ra).not.toContain(a);
    expect(ra).toBe(readFileSync(join(b, 'out', 'report.json'), 'utf8'));
  });
});
