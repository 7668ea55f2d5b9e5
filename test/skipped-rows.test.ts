/**
 * `on_bad_row: skip` drops malformed trace rows; the run must say how many, in the CLI summary and in
 * summary.md, not only in report.json (issue 12: they were dropped without a word). The fixture has 5
 * data rows, bad on lines 3 and 5.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../src/cli/index.js';
import type { Report } from '../src/report/types.js';
import { tempScenario } from './testkit.js';

const FIXTURE = join(import.meta.dirname, 'fixtures', 'traces', 'azure-bad.csv');

async function run() {
  const { dir, file } = tempScenario(
    `name: skip-rows
models:
  - { id: m, max_concurrency: 4, latency: { ttft: 10ms, tpot: 1ms } }
traffic: { trace: ${FIXTURE}, format: azure, on_bad_row: skip }
`,
    'routesim-skip-',
  );
  const out: string[] = [];
  const code = await main(['run', file, '--out', join(dir, 'out'), '--no-charts'], {
    stdout: (s) => out.push(s),
    stderr: (s) => out.push(s),
    isTTY: false,
  });
  return { code, out: out.join(''), dir: join(dir, 'out') };
}

describe('skipped trace rows', () => {
  it('are counted and said in the CLI summary and summary.md', async () => {
    const r = await run();
    expect(r.code).toBe(0);
    const report = JSON.parse(readFileSync(join(r.dir, 'report.json'), 'utf8')) as Report;
    expect(report.requests.skipped_rows).toBe(2);
    const line = '2 malformed trace rows were skipped (on_bad_row: skip); they are not among the requests.';
    expect(report.requests.total).toBe(
      readFileSync(FIXTURE, 'utf8').trim().split('\n').length - 1 - report.requests.skipped_rows,
    );
    expect(r.out).toContain(`\n${line}\n`);
    expect(readFileSync(join(r.dir, 'summary.md'), 'utf8')).toContain(`\n${line}\n`);
  });

  it('are not mentioned when none was skipped', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'routesim-skip-'));
    const out: string[] = [];
    const code = await main(
      ['run', join(import.meta.dirname, '..', 'scenarios', 'mm1.yaml'), '--out', dir, '--no-charts'],
      { stdout: (s) => out.push(s), stderr: (s) => out.push(s), isTTY: false },
    );
    expect(code).toBe(0);
    expect(out.join('')).not.toMatch(/skipped/);
    expect(readFileSync(join(dir, 'summary.md'), 'utf8')).not.toMatch(/skipped/);
  });
});
