/**
 * `expect:` can gate on what a serving-engine model did (`models.<id>.engine.*`) and on each load stage of
 * inference-perf traffic (`stages.<n>.*`): the checks read the same numbers the report holds, and a stage
 * index past the profile's last stage is a validation error (exit 2) at the expectation, not a failed run.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../src/cli/index.js';
import { tempScenario } from './testkit.js';

const DATA = join(import.meta.dirname, '..', 'data', 'vllm-h100');
const EXP = '20260217-231439-llama-2-7b-tp1-general';

function scenario(expectations: string): string {
  const { file } = tempScenario(
    `name: engine-expect
seed: 1
models:
  - id: v
    engine:
      model_config: ${join(DATA, 'models/Llama-2-7b-hf/config.json')}
      gpu: h100-sxm
traffic: { inference_perf: ${join(DATA, 'experiments', EXP, 'profile.yaml')} }
expect:
${expectations}`,
    'routesim-engine-expect-',
  );
  return file;
}

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return {
    io: { stdout: (s: string) => out.push(s), stderr: (s: string) => err.push(s), isTTY: false },
    out,
    err,
  };
}

describe('expect: on engine figures and load stages', () => {
  it('checks models.<id>.engine.* and stages.<n>.* against the report', async () => {
    const file = scenario(`  - { metric: stages.0.requests, "==": 4800 }
  - { metric: stages.1.requests, "==": 12000 }
  - { metric: models.v.engine.preemptions, ">": -1 }
  - { metric: stages.1.e2e_ms.mean, "<": 1 }
`);
    const outDir = join(mkdtempSync(join(tmpdir(), 'routesim-engine-expect-out-')), 'out');
    const c = capture();
    // The last expectation fails: exit 1, and the report is whole.
    expect(await main(['run', file, '--no-charts', '--out', outDir], c.io)).toBe(1);
    const report = JSON.parse(readFileSync(join(outDir, 'report.json'), 'utf8'));
    const byMetric = Object.fromEntries(
      report.expectations.map((e: { metric: string; actual: number; pass: boolean }) => [e.metric, e]),
    );
    // 8 req/s and 20 req/s for 600 s each.
    expect(byMetric['stages.0.requests']).toMatchObject({ actual: 4800, pass: true });
    expect(byMetric['stages.1.requests']).toMatchObject({ actual: 12000, pass: true });
    expect(byMetric['models.v.engine.preemptions'].actual).toBe(report.models.v.engine.preemptions);
    expect(byMetric['stages.1.e2e_ms.mean']).toMatchObject({
      actual: report.stages[1].e2e_ms.mean,
      pass: false,
    });
    expect(report.stages[1].e2e_ms.mean).toBeGreaterThan(1000);
  });

  it('rejects a stage the profile does not have, at the expectation, with exit 2', async () => {
    const file = scenario(`  - { metric: stages.2.e2e_ms.mean, "<": 5000 }
`);
    const c = capture();
    expect(await main(['validate', file], c.io)).toBe(2);
    expect(c.err.join('')).toContain(
      's.yaml:10:15: expect[0].metric: `stages.2.e2e_ms.mean`: no stage 2; n from 0 to 1 (the profile has 2 stages)',
    );
  });
});
