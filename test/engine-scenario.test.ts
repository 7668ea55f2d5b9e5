/**
 * The `engine:` block as a user writes it: files resolved against the scenario, defaults filled, the KV
 * capacity worked out, and every mistake an exit-2 problem at file:line:column naming the file and field.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../src/cli/index.js';
import { loadScenario } from '../src/scenario/load.js';
import { captureIo, tempScenario } from './testkit.js';

const ROOT = join(import.meta.dirname, '..');
const FILE = join(ROOT, 'engine-test.yaml');
const CONFIG = 'data/vllm-h100/models';

const scenario = (engine: string, extra = '') => `name: e
models:
  - id: v
    engine: ${engine}${extra}
traffic: { arrivals: { process: constant, rate: 4/s }, requests: 40, prompt_tokens: 500, output_tokens: 100 }
`;

function issues(text: string): string[] {
  const r = loadScenario(text, FILE);
  return r.ok ? [] : r.issues.map((i) => `${i.line}:${i.column} ${i.message}`);
}

describe('scenario engine: block', () => {
  it('fills vLLM defaults and the KV capacity from memory (Llama-2-70b on 4 H100s)', () => {
    const r = loadScenario(
      scenario(`{ kind: vllm, model_config: ${CONFIG}/Llama-2-70b-hf/config.json, tp: 4 }`),
      FILE,
    );
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const m = r.scenario.models[0];
    expect(m.max_queue).toBe(10_000_000);
    expect(m.latency.model).toBe('engine');
    if (m.latency.model !== 'engine') return;
    const e = m.latency.engine;
    expect(e).toMatchObject({
      gpu: 'h100-sxm',
      tp: 4,
      max_num_seqs: 256,
      max_num_batched_tokens: 2048,
      max_model_len: 4096,
      block_size: 16,
      prefix_caching: true,
      coefficients_path: null,
    });
    expect(e.arch).toMatchObject({ layers: 80, hidden: 8192, kv_heads: 8 });
    // Per GPU: 80 GiB × 0.9 − 137,950,658,560 / 4 bytes of weights (68,975,329,280 parameters) − 1.5 GiB,
    // over blocks of 16 tokens × 2 · 80 layers · 2 KV heads (8 / 4) · 128 · 2 bytes = 1,310,720 bytes.
    expect(e.kv_blocks).toBe(Math.floor((77_309_411_328 - 34_487_664_640 - 1_610_612_736) / 1_310_720));
    expect(e.kv_blocks).toBe(31_441);
  });

  it('takes kv_blocks (or num_gpu_blocks) as given, and a GPU datasheet file', () => {
    const r = loadScenario(
      scenario(
        `{ model_config: ${CONFIG}/Llama-2-7b-hf/config.json, num_gpu_blocks: 500, gpu: data/vllm-h100/hardware/h100-sxm.json }`,
      ),
      FILE,
    );
    expect(r.ok && r.scenario.models[0].latency).toMatchObject({
      engine: { kv_blocks: 500, gpu_spec: { name: 'H100 SXM', bandwidth_tb_s: 3.35 } },
    });
  });

  it('reports each mistake at its key with the file and field', () => {
    expect(issues(scenario('{ model_config: nowhere/config.json }'))).toEqual([
      `4:29 models[0].engine.model_config: model config ${ROOT}/nowhere/config.json: not found`,
    ]);
    expect(issues(scenario(`{ model_config: ${CONFIG}/Llama-2-7b-hf/config.json, gpu: a100 }`))).toEqual([
      `4:83 models[0].engine.gpu: GPU spec ${ROOT}/a100: not a built-in GPU (h100-sxm) and no such file`,
    ]);
    expect(issues(scenario(`{ model_config: ${CONFIG}/Llama-2-70b-hf/config.json }`))[0]).toMatch(
      /^4:13 models\[0\]\.engine: Llama-2-70b-hf does not fit: 128\.5 GiB of weights per GPU against 80 GiB × 0\.9 on H100 SXM/,
    );
    expect(
      issues(scenario(`{ model_config: ${CONFIG}/Llama-2-7b-hf/config.json, kv_blocks: 10 }`))[0],
    ).toMatch(/kv_blocks: the KV cache holds 160 tokens \(10 blocks of 16\), fewer than max_model_len 4096/);
    expect(
      issues(
        scenario(
          `{ model_config: ${CONFIG}/Llama-2-7b-hf/config.json }`,
          '\n    latency: { ttft: 1ms, tpot: 1ms }',
        ),
      ),
    ).toEqual(['4:5 models[0].engine: a model has either `latency:` or `engine:`, not both']);
    expect(
      issues(
        scenario(
          `{ model_config: ${CONFIG}/Llama-2-7b-hf/config.json }`,
          '\n    max_concurrency: 8\n    cache: { hit_rate: 0.5 }',
        ),
      ),
    ).toEqual([
      '5:5 models[0].max_concurrency: an engine model runs `engine: { max_num_seqs }` sequences at once, not max_concurrency',
      '6:5 models[0].cache: an engine model caches prefixes in its own KV blocks (`engine: { prefix_caching }`), not `cache:`',
    ]);
    expect(issues(scenario(`{ model_config: ${CONFIG}/Llama-2-7b-hf/config.json, tp: 0 }`))[0]).toMatch(
      /models\[0\]\.engine\.tp/,
    );
    expect(
      issues(
        scenario(
          `{ model_config: ${CONFIG}/Llama-2-7b-hf/config.json, coefficients: data/vllm-h100/hardware/h100-sxm.json }`,
        ),
      ),
    ).toEqual([
      `4:92 models[0].engine.coefficients: coefficients file ${ROOT}/data/vllm-h100/hardware/h100-sxm.json: kind: must be "routesim-vllm-coefficients", got undefined (not a coefficients file)`,
    ]);
  });

  it('a bad config.json names the field; the CLI exits 2 without a stack trace', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'routesim-engine-'));
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ num_hidden_layers: 2, hidden_size: 'big' }));
    const file = join(dir, 's.yaml');
    writeFileSync(file, scenario('{ model_config: config.json }'));
    const c = captureIo();
    expect(await main(['validate', file], c.io)).toBe(2);
    const err = c.err.join('');
    expect(err).toContain(
      `${file}:4:29: models[0].engine.model_config: model config ${dir}/config.json: hidden_size: must be a whole number, got "big"`,
    );
    expect(err).toContain('num_attention_heads: missing');
    expect(err).not.toMatch(/\n\s+at /);
  });

  it('runs to a complete, reproducible report with the engine figures', async () => {
    const { dir, file } = tempScenario(
      scenario(`{ model_config: ${ROOT}/${CONFIG}/Llama-2-7b-hf/config.json, max_num_seqs: 128 }`),
      'routesim-engine-',
    );
    const reports: string[] = [];
    for (const out of ['a', 'b']) {
      expect(await main(['run', file, '--no-charts', '--out', join(dir, out)], captureIo().io)).toBe(0);
      reports.push(readFileSync(join(dir, out, 'report.json'), 'utf8'));
    }
    expect(reports[0]).toBe(reports[1]);
    const r = JSON.parse(reports[0]);
    expect(r.requests.completed).toBe(40);
    expect(r.models.v.engine).toMatchObject({ preemptions: 0, kv_blocks: 7417 });
    // Each request needs a prefill step and 99 decode steps; overlapping requests share steps.
    expect(r.models.v.engine.steps).toBeGreaterThanOrEqual(100);
    expect(r.models.v.engine.steps).toBeLessThanOrEqual(40 * 100);
  });
});

describe('a request longer than max_model_len', () => {
  it('fails once, as vLLM answers 400: not retried on another replica, not held against the model', async () => {
    const { runScenario } = await import('../src/experiments/run-scenario.js');
    const replica = (id: string) =>
      `  - { id: ${id}, engine: { model_config: ${CONFIG}/Llama-2-7b-hf/config.json, max_model_len: 1000 } }`;
    const text = `name: too-long
router: { strategy: round_robin, max_retries: 3, outlier_detection: { consecutive_failures: 2 } }
models:
${replica('a')}
${replica('b')}
traffic: { arrivals: { process: constant, rate: 4/s }, requests: 40, prompt_tokens: 900, output_tokens: { dist: uniform, min: 50, max: 150 } }
`;
    const r = loadScenario(text, FILE);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const { report } = await runScenario(r.scenario);
    // prompt + output > 1000 exactly when output > 100: those fail on their first attempt and stay failed.
    const failed = report.requests.failed;
    expect(failed).toBe(17);
    expect(report.requests.completed + failed).toBe(40);
    expect(report.routing.retries).toBe(0);
    const attempts = report.models.a.attempts + report.models.b.attempts;
    expect(attempts).toBe(40);
    expect(report.models.a.failed_attempts + report.models.b.failed_attempts).toBe(failed);
    // Consecutive too-long requests on a model never eject it (2 failures would): no health change.
    expect(report.models.a.health_changes).toEqual([]);
    expect(report.models.b.health_changes).toEqual([]);
  });
});
