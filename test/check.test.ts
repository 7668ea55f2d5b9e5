/**
 * check: tolerance arithmetic against a baseline, JUnit XML and GitHub annotations, and end to end on the
 * real simulator: a deliberately worse router config fails against the stored baseline, the original passes.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Io } from '../src/cli/command.js';
import { main } from '../src/cli/index.js';
import {
  baselineCases,
  baselineOf,
  type CheckCase,
  expectationCases,
} from '../src/experiments/check/check.js';
import { checkText, githubAnnotations } from '../src/experiments/check/format.js';
import { toJunit } from '../src/experiments/check/junit.js';
import type { Report } from '../src/report/types.js';

const fixtures = join(import.meta.dirname, 'fixtures');
const sample: Report = JSON.parse(readFileSync(join(fixtures, 'report-sample.json'), 'utf8'));
const tmp = mkdtempSync(join(tmpdir(), 'routesim-check-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function byName(cases: CheckCase[], path: string): CheckCase {
  return cases.find((c) => c.name === `baseline ${path}`)!;
}

describe('baseline tolerances', () => {
  const base = baselineOf(sample);
  const p99 = sample.latency.e2e_ms.p99; // 17550 ms

  it('the same report passes every metric', () => {
    const cases = baselineCases(sample, base, 's.yaml');
    expect(cases.length).toBe(14 + Object.keys(sample.models).length);
    expect(cases.every((c) => c.pass)).toBe(true);
  });

  it('passes within the relative OR the absolute tolerance, fails beyond both, and says by how much', () => {
    const r: Report = structuredClone(sample);
    r.latency.e2e_ms.p99 = p99 * 1.09; // +9% < 10%
    r.requests.failed = sample.requests.failed + 2; // 12 -> 14: +16.7% but within 2 requests
    r.latency.ttft_ms.p99 = sample.latency.ttft_ms.p99 * 1.5; // +50%, far beyond 5 ms
    const cases = baselineCases(r, base, 's.yaml');
    expect(byName(cases, 'latency.e2e_ms.p99').pass).toBe(true);
    expect(byName(cases, 'requests.failed').pass).toBe(true);
    const ttft = byName(cases, 'latency.ttft_ms.p99');
    expect(ttft.pass).toBe(false);
    expect(ttft.message).toBe(
      'latency.ttft_ms.p99 regressed: 675 → 1,013 (+338 ms, +50%; tolerance 10% or 5 ms)',
    );
    // --rel-tol 0.6 lets it through; --rel-tol 0 --abs-tol 0 catches even the 9%.
    expect(byName(baselineCases(r, base, 's.yaml', { rel_tol: 0.6 }), 'latency.ttft_ms.p99').pass).toBe(true);
    expect(
      byName(baselineCases(r, base, 's.yaml', { rel_tol: 0, abs_tol: 0 }), 'latency.e2e_ms.p99').pass,
    ).toBe(false);
  });

  it('an improvement beyond tolerance passes, flagged; a share drifting either way fails', () => {
    const r: Report = structuredClone(sample);
    r.latency.e2e_ms.p99 = p99 / 2;
    const id = Object.keys(r.models)[0];
    r.models[id].share = sample.models[id].share + 0.1;
    const cases = baselineCases(r, base, 's.yaml');
    const better = byName(cases, 'latency.e2e_ms.p99');
    expect(better).toMatchObject({ pass: true, improved: true });
    expect(better.message).toMatch(/improved.*--update-baseline/);
    const share = byName(cases, `models.${id}.share`);
    expect(share.pass).toBe(false);
    expect(share.message).toMatch(/share changed: 0\.382 → 0\.482 \(\+0\.1, \+26\.2%/);
  });

  it('prints latencies to the 4 digits summary.md gives them (TTFT p50 203.5 was 204)', () => {
    const r: Report = structuredClone(sample);
    r.latency.ttft_ms.p50 = 203.5;
    const b = baselineOf(r);
    expect(byName(baselineCases(r, b, 's.yaml'), 'latency.ttft_ms.p50').message).toBe(
      'latency.ttft_ms.p50 = 203.5 (baseline 203.5, 0 ms, 0%; tolerance 10% or 5 ms)',
    );
    r.latency.ttft_ms.p50 = 240.25;
    expect(byName(baselineCases(r, b, 's.yaml'), 'latency.ttft_ms.p50').message).toMatch(
      /^latency\.ttft_ms\.p50 regressed: 203\.5 → 240\.3 \(/,
    );
  });

  it('a model missing from the new report fails its baseline metric', () => {
    const r: Report = structuredClone(sample);
    delete r.models['gpt-oss-20b'];
    expect(byName(baselineCases(r, base, 's.yaml'), 'models.gpt-oss-20b.share').pass).toBe(false);
  });
});

describe('reporters', () => {
  const expect0 = [
    { metric: 'requests.failed', op: '<=' as const, value: 20, line: 30, column: 5 },
    { metric: 'latency.e2e_ms.p99', op: '<' as const, value: 15000, line: 31, column: 5 },
  ];
  const cases = expectationCases(sample, expect0, '/repo/scenarios/x.yaml');

  it('expectation cases carry the line and column they were written at', () => {
    expect(cases.map((c) => c.pass)).toEqual([true, false]);
    expect(cases[1]).toMatchObject({
      line: 31,
      column: 5,
      message: 'latency.e2e_ms.p99 = 17,550, expected < 15,000',
    });
    expect(checkText(cases)).toMatch(
      /FAIL\s+latency\.e2e_ms\.p99 = 17,550, expected < 15,000 \(\/repo\/scenarios\/x\.yaml:31:5\)/,
    );
  });

  it('JUnit: one testcase per check, a failure element for each failed one', () => {
    const xml = toJunit(cases);
    expect(xml).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>/);
    expect(xml).toContain('<testsuites name="routesim check" tests="2" failures="1" errors="0">');
    expect(xml.match(/<testcase /g)).toHaveLength(2);
    expect(xml.match(/<failure /g)).toHaveLength(1);
    expect(xml).toContain('name="expect latency.e2e_ms.p99 &lt; 15000"');
    expect(xml).toContain('line="31"');
  });

  it('GitHub annotations point at the expectation, escaped per the workflow-command rules', () => {
    const out = githubAnnotations(cases, '/repo');
    expect(out).toBe(
      '::error file=scenarios/x.yaml,line=31,col=5,title=routesim fixture-four-models%3A expect latency.e2e_ms.p99 < 15000::latency.e2e_ms.p99 = 17,550, expected < 15,000\n',
    );
  });
});

describe('routesim check on the real simulator', () => {
  const original = join(fixtures, 'check-small.yaml');
  const worse = join(fixtures, 'check-small-worse.yaml');
  const baseline = join(tmp, 'baselines', 'check-small.json');

  async function run(
    args: string[],
    env: Record<string, string> = {},
  ): Promise<{ code: number; out: string }> {
    const out: string[] = [];
    const io: Io = { stdout: (s) => out.push(s), stderr: (s) => out.push(s), isTTY: false };
    const saved = { ...process.env };
    Object.assign(process.env, env);
    try {
      const code = await main(['check', ...args, '--out', join(tmp, 'reports'), '--no-html'], io);
      return { code, out: out.join('') };
    } finally {
      for (const k of Object.keys(env)) if (saved[k] === undefined) delete process.env[k];
    }
  }

  it('the original passes against its stored baseline; the worse router fails it', async () => {
    const created = await run([original, '--baseline', baseline, '--update-baseline']);
    expect(created.code).toBe(0);
    const stored = JSON.parse(readFileSync(baseline, 'utf8'));
    const n = Object.keys(stored.metrics).length;
    expect(created.out).toContain(
      `created baseline ${baseline}: ${n} metrics of check-small (seed ${stored.seed})`,
    );
    expect(stored.metrics['latency.e2e_ms.p99']).toBeGreaterThan(0);
    // Rewriting it from the same run says it did not change.
    const again = await run([original, '--baseline', baseline, '--update-baseline']);
    expect(again.out).toContain(`baseline ${baseline} unchanged: ${n} metrics`);

    const ok = await run([original, '--baseline', baseline]);
    expect(ok.code).toBe(0);
    expect(ok.out).toMatch(/check passed/);

    const junit = join(tmp, 'junit.xml');
    const bad = await run([worse, '--baseline', baseline, '--reporter', 'junit', '--junit-out', junit], {
      GITHUB_ACTIONS: 'true',
    });
    expect(bad.code).toBe(1);
    expect(bad.out).toMatch(
      /FAIL\s+latency\.e2e_ms\.p99 regressed: [\d,]+ → [\d,]+ \(\+[\d,.]+ ms, \+[\d,.]+%/,
    );
    expect(bad.out).toMatch(/check FAILED/);
    expect(bad.out).toMatch(
      /::error file=.*check-small-worse\.yaml,line=1,col=1,title=routesim check-small%3A baseline latency\.e2e_ms\.p99::/,
    );
    const xml = readFileSync(junit, 'utf8');
    expect(xml).toMatch(/<testcase name="baseline latency\.e2e_ms\.p99"[^>]*>\s*<failure /);
  });

  it('bad input exits 2 with the file named', async () => {
    const r = await run([join(fixtures, 'no-such-scenario.yaml')]);
    expect(r.code).toBe(2);
    expect(r.out).toContain('no-such-scenario.yaml');
  });
});
