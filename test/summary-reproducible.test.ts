/**
 * summary.md is as reproducible as report.json: two runs of the same scenario and seed write the same
 * bytes, though their wall-clock figures (run.json) differ; the CLI's summary, summary.md and report.html
 * print the same figures for what was measured.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderHtml } from '../src/report/html.js';
import type { Report } from '../src/report/types.js';
import { runCli } from './testkit.js';

describe('summary.md', () => {
  it('is byte-identical across runs and holds no wall-clock figure; the CLI and report.html agree with it', async () => {
    const dirs = [0, 1].map(() => mkdtempSync(join(tmpdir(), 'routesim-summary-')));
    const outs: string[] = [];
    for (const d of dirs) {
      const r = await runCli(['run', 'scenarios/burst-fault.yaml', '--no-charts', '--out', d]);
      expect(r.code, r.err).toBe(0);
      outs.push(r.out);
    }
    const [a, b] = dirs.map((d) => readFileSync(join(d, 'summary.md'), 'utf8'));
    expect(a).toBe(b);
    // run.json measured the routing time; summary.md does not print it.
    const run = JSON.parse(readFileSync(join(dirs[0], 'run.json'), 'utf8'));
    expect(run.routing_time_us.mean).toBeGreaterThan(0);
    expect(a).toContain('Avg routing time: not measured');
    expect(a).not.toMatch(/\d µs|\dµs/);

    // burst-fault: e2e p50 1,204 ms, p99 1,428 ms, ttft p50 200.5 ms; b went down at 55 s, seen at 55.15 s.
    const report: Report = JSON.parse(readFileSync(join(dirs[0], 'report.json'), 'utf8'));
    expect([report.latency.e2e_ms.p50, report.latency.e2e_ms.p99, report.latency.ttft_ms.p50]).toEqual([
      1204, 1428, 200.5,
    ]);
    expect(outs[0]).toContain('latency e2e p50 1,204 ms, p99 1,428 ms; ttft p50 200.5 ms');
    expect(a).toContain('| end to end | 1,633 | 1,205 | 1,204 | 1,204 | 1,428 | 1,719 |');
    const html = renderHtml(report);
    expect(html).toContain(
      'end to end</td><td class="n">1,633</td><td class="n">1,205</td><td class="n">1,204</td><td class="n">1,204</td><td class="n">1,428</td><td class="n">1,719</td>',
    );
    // The health-change table is on both pages.
    expect(a).toContain('| b | unhealthy | 55 | 55.15 | 151.9 |');
    expect(html).toContain('Health changes and detection');
    expect(html).toMatch(
      /b<\/span><\/td><td>unhealthy<\/td><td class="n">55<\/td><td class="n">55.15<\/td><td class="n">151.9<\/td>/,
    );
  }, 60_000);
});
