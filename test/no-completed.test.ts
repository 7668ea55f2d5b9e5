/**
 * A run in which nothing completes: report.json keeps its histogram zeros, but summary.md, report.html and
 * the short run summary once showed them as "0.0 ms" latencies. They now show "—" and say why.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../src/cli/index.js';
import { renderHtml } from '../src/report/html.js';
import { NO_COMPLETED } from '../src/report/tables.js';
import type { Report } from '../src/report/types.js';

const dir = mkdtempSync(join(tmpdir(), 'routesim-nocomplete-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Every attempt errors (failure_rate 1), so no request completes.
const SCENARIO = `name: none-complete
models:
  - id: a
    latency: { ttft: 10ms, tpot: 1ms }
    failure_rate: 1
traffic: { arrivals: { process: constant, rate: 10/s }, requests: 5 }
`;

describe('a run with 0 completed requests', () => {
  it('says so instead of printing 0.0 ms latencies', async () => {
    const file = join(dir, 's.yaml');
    writeFileSync(file, SCENARIO);
    const out = join(dir, 'out');
    let stdout = '';
    const code = await main(['run', file, '--no-charts', '--out', out], {
      stdout: (s) => (stdout += s),
      stderr: () => {},
      isTTY: false,
    });
    expect(code).toBe(0);
    expect(stdout).toContain('0 completed');
    expect(stdout).toContain('latency — (no completed requests)');
    expect(stdout).not.toMatch(/p50 0\.0 ms/);

    const report: Report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
    expect(report.latency.e2e_ms).toEqual({ count: 0, mean: 0, p50: 0, p90: 0, p99: 0, max: 0 });

    const md = readFileSync(join(out, 'summary.md'), 'utf8');
    expect(md).toContain('| end to end | 0 | — | — | — | — | — |');
    expect(md).toContain('| 5 | 0 (0.0%) | 0 | 5 | 0 | 3 | 0 | 0 |');
    expect(md).toMatch(/\| a \| 5 \| 100\.0% \| 0 \| 5 \| 0 \| — \| — \| — \| — \|/);
    expect(md).toContain(NO_COMPLETED);
    expect(md).not.toMatch(/\| 0\.0 \|/);

    const html = renderHtml(report);
    expect(html).toContain(NO_COMPLETED);
    expect(html).toContain(
      'end to end</td><td class="n">0</td><td class="n">—</td><td class="n">—</td><td class="n">—</td><td class="n">—</td><td class="n">—</td></tr>',
    );
  });
});
