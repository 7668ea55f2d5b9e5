/**
 * Bad scenario input, the way a user meets it: `routesim validate FILE` in-process. Every problem comes
 * with file:line:column and, where it helps, a suggestion; the exit code is 2; no stack trace.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './testkit.js';

const dir = 'test/fixtures/scenarios';

const cli = (...argv: string[]) => runCli(argv);

/** Runs validate on a fixture and returns its problem lines (without the closing "error:" line). */
async function problems(name: string, ...flags: string[]): Promise<string[]> {
  const r = await cli('validate', `${dir}/${name}`, ...flags);
  expect(r.code).toBe(2);
  expect(r.out).toBe('');
  expect(r.err).not.toMatch(/\n\s+at /); // no stack trace
  const lines = r.err.trimEnd().split('\n');
  expect(lines.at(-1)).toMatch(/^error: \d+ problems? in 1 of 1 file$/);
  return lines.slice(0, -1);
}

describe('routesim validate on bad scenarios', () => {
  it('malformed YAML: the parser error with its position', async () => {
    expect(await problems('malformed.yaml')).toEqual([
      `${dir}/malformed.yaml:5:1: YAML syntax: Flow map in block collection must be sufficiently indented and end with a }`,
    ]);
  });

  it('an unknown key, with "did you mean"', async () => {
    expect(await problems('unknown-key.yaml')).toEqual([
      `${dir}/unknown-key.yaml:4:3: router.stratgy: unknown key \`stratgy\` (did you mean \`strategy\`?)`,
    ]);
  });

  it('a wrong type names what was expected and what was found', async () => {
    expect(await problems('wrong-type.yaml')).toEqual([
      `${dir}/wrong-type.yaml:4:22: models[0].max_concurrency: expected an integer from 1 to 100000, got string "abc"`,
    ]);
  });

  it('a negative duration', async () => {
    expect(await problems('negative-duration.yaml')).toEqual([
      `${dir}/negative-duration.yaml:3:16: router.retry_delay: a duration cannot be negative, got "-100ms"`,
    ]);
  });

  it('bad units of a duration and a rate', async () => {
    expect(await problems('bad-units.yaml')).toEqual([
      `${dir}/bad-units.yaml:1:11: duration: expected a duration like 250ms, 30s, 5m, 1h (a bare number is seconds), got "10 parsecs"`,
      `${dir}/bad-units.yaml:5:21: traffic.arrivals.rate: expected a rate like 12/s, 600/m, 3600/h (a bare number is per second), got "12/fortnight"`,
    ]);
  });

  it('model ids that do not exist, in ab_test, events and expect', async () => {
    expect(await problems('missing-model.yaml')).toEqual([
      `${dir}/missing-model.yaml:3:23: router.ab_test.model_a: ab_test.model_a \`llama\` is not a model of this scenario (did you mean \`llama-70b\`?)`,
      `${dir}/missing-model.yaml:3:39: router.ab_test.model_b: ab_test.model_b \`qwen\` is not a model of this scenario (did you mean \`qwen-72b\`?)`,
      `${dir}/missing-model.yaml:8:22: events[0].model: event model \`qwen-27b\` is not a model of this scenario (did you mean \`qwen-72b\`?)`,
      `${dir}/missing-model.yaml:10:15: expect[0].metric: metric \`models.lama-70b.share\` names a model that does not exist: \`lama-70b\` (did you mean \`models.llama-70b.share\`?)`,
    ]);
  });

  it('no models at all', async () => {
    expect(await problems('no-models.yaml')).toEqual([
      `${dir}/no-models.yaml:3:9: models: no models: a scenario needs at least one model under \`models:\``,
    ]);
  });

  it('duplicate model ids', async () => {
    expect(await problems('duplicate-ids.yaml')).toEqual([
      `${dir}/duplicate-ids.yaml:5:9: models[2].id: duplicate model id \`a\``,
    ]);
  });

  it('an expect metric that is not in the report', async () => {
    expect(await problems('bad-metric.yaml')).toEqual([
      `${dir}/bad-metric.yaml:5:15: expect[0].metric: \`latency.e2e.p99\` is not a report metric (did you mean \`latency.e2e_ms.p99\`?)`,
      `${dir}/bad-metric.yaml:6:15: expect[1].metric: \`balance.jain\` is not a report metric (did you mean \`balance.jain_index\`?)`,
    ]);
  });

  it('a missing trace, resolved against the scenario folder', async () => {
    const lines = await problems('missing-trace.yaml');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^test\/fixtures\/scenarios\/missing-trace\.yaml:4:19: traffic\.trace: trace file not found: \/.*\/test\/fixtures\/scenarios\/traces\/nope\.jsonl$/,
    );
  });

  it('a file with three problems reports all three, in file order', async () => {
    expect(await problems('three-problems.yaml')).toEqual([
      `${dir}/three-problems.yaml:4:16: models[0].max_queue: expected an integer from 0 to 10000000, got string "lots"`,
      `${dir}/three-problems.yaml:5:5: models[0].latncy: unknown key \`latncy\` (did you mean \`latency\`?)`,
      `${dir}/three-problems.yaml:7:23: events[0].model: event model \`b\` is not a model of this scenario (models: a)`,
    ]);
  });

  it('a bad --strategy flag is validated like the file', async () => {
    const r = await cli('validate', `${dir}/valid.yaml`, '--strategy', 'cache_awre');
    expect(r.code).toBe(2);
    expect(r.err.split('\n')[0]).toBe(
      `${dir}/valid.yaml: override \`router.strategy\`: expected one of round_robin, least_loaded, cache_aware, quota_aware, random, weighted_random, latency_based, affinity_based, power_of_two, weighted_score, prefix_aware, cost_based, kv_aware, got string "cache_awre" (did you mean \`cache_aware\`?)`,
    );
  });

  it('a missing file is a problem, not a crash', async () => {
    const r = await cli('validate', `${dir}/does-not-exist.yaml`);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`${dir}/does-not-exist.yaml: cannot read scenario: no such file`);
  });

  it('an empty file', async () => {
    const d = mkdtempSync(join(tmpdir(), 'routesim-'));
    writeFileSync(join(d, 'empty.yaml'), '# nothing here\n');
    const r = await cli('validate', join(d, 'empty.yaml'));
    expect(r.code).toBe(2);
    expect(r.err).toContain(
      `${join(d, 'empty.yaml')}:1:1: the file is empty: a scenario needs at least \`models:\``,
    );
  });
});

describe('routesim validate on good scenarios', () => {
  it('prints a one-line summary per file and exits 0', async () => {
    const r = await cli('validate', `${dir}/valid.yaml`, `${dir}/relative-trace.yaml`);
    expect(r.code).toBe(0);
    expect(r.err).toBe('');
    expect(r.out).toBe(
      `${dir}/valid.yaml: ok (2 models, strategy cache_aware, poisson 10/s, 1000 requests, horizon 120s, 1 event, 1 expectation)\n` +
        `${dir}/relative-trace.yaml: ok (1 model, strategy least_loaded, trace native, horizon 60s, 0 events, 0 expectations)\n`,
    );
  });

  it('reports every bad file among several, exit 2', async () => {
    const r = await cli('validate', `${dir}/valid.yaml`, `${dir}/unknown-key.yaml`, `${dir}/no-models.yaml`);
    expect(r.code).toBe(2);
    expect(r.out).toContain('valid.yaml: ok');
    expect(r.err.trimEnd().split('\n')).toEqual([
      `${dir}/unknown-key.yaml:4:3: router.stratgy: unknown key \`stratgy\` (did you mean \`strategy\`?)`,
      `${dir}/no-models.yaml:3:9: models: no models: a scenario needs at least one model under \`models:\``,
      'error: 2 problems in 2 of 3 files',
    ]);
  });

  it('--set overrides are applied and checked', async () => {
    const ok = await cli('validate', `${dir}/valid.yaml`, '--set', 'models.qwen2.5-72b.max_concurrency=4');
    expect(ok.code).toBe(0);
    const bad = await cli('validate', `${dir}/valid.yaml`, '--set', 'models.qwen2.5-72b.max_concurrency=-4');
    expect(bad.code).toBe(2);
    expect(bad.err.split('\n')[0]).toBe(
      `${dir}/valid.yaml: override \`models.qwen2.5-72b.max_concurrency\`: must be >= 1, got number -4`,
    );
  });
});

describe('routesim schema', () => {
  it('prints a JSON Schema with descriptions for editors', async () => {
    const r = await cli('schema');
    expect(r.code).toBe(0);
    const schema = JSON.parse(r.out);
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(schema.additionalProperties).toBe(false);
    expect(schema.properties.router.properties.strategy.enum).toContain('cache_aware');
    expect(schema.properties.models.items.properties.max_concurrency.description).toMatch(/Default 16/);
    expect(schema.properties.duration.description).toMatch(/250ms/);
    expect(Object.keys(schema.$defs)).toEqual(['TimeDistribution', 'CountDistribution']);
  });

  it('writes it with --out', async () => {
    const d = mkdtempSync(join(tmpdir(), 'routesim-'));
    const out = join(d, 'scenario.schema.json');
    const r = await cli('schema', '--out', out);
    expect(r.code).toBe(0);
    expect(r.out).toBe(`wrote ${out}\n`);
  });
});
