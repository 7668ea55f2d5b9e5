/**
 * Exit codes CI can trust: a bug exits 3 with one line (never 1, which reads as a regression), the stack only
 * with --debug or ROUTESIM_DEBUG=1; a chart that fails to draw keeps the report on disk; `check` over a mix
 * of good, invalid and crashing files judges each one, writes a JUnit case for each that could not run, and
 * exits with the worst. The bug is planted by wrapping the simulator (and the chart writer) in a mock.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { main } from '../src/cli/index.js';
import { captureIo } from './testkit.js';

const plant = vi.hoisted(() => ({ chartsFail: false }));

vi.mock('../src/experiments/run-scenario.js', async (importOriginal) => {
  const orig = await importOriginal<typeof import('../src/experiments/run-scenario.js')>();
  return {
    ...orig,
    runScenario: async (...args: Parameters<typeof orig.runScenario>) => {
      if (args[0].name.startsWith('crash')) throw new TypeError('planted bug in the simulator');
      return orig.runScenario(...args);
    },
  };
});

vi.mock('../src/report/charts/render.js', async (importOriginal) => {
  const orig = await importOriginal<typeof import('../src/report/charts/render.js')>();
  return {
    ...orig,
    writeCharts: async (...args: Parameters<typeof orig.writeCharts>) => {
      if (plant.chartsFail) throw new RangeError('Maximum call stack size exceeded');
      return orig.writeCharts(...args);
    },
  };
});

/** captureIo with its output joined. */
function io() {
  const c = captureIo();
  return { io: c.io, out: () => c.out.join(''), err: () => c.err.join('') };
}

const scenario = (name: string, extra = '') => `name: ${name}
models:
  - id: a
    latency: { ttft: 10ms, tpot: 1ms }
traffic: { arrivals: { process: constant, rate: 10/s }, requests: 5 }
${extra}`;

function files(): { dir: string; good: string; crash: string; bad: string } {
  const dir = mkdtempSync(join(tmpdir(), 'routesim-exit-'));
  const good = join(dir, 'good.yaml');
  const crash = join(dir, 'crash.yaml');
  const bad = join(dir, 'bad.yaml');
  writeFileSync(good, scenario('good', 'expect:\n  - { metric: requests.completed, "==": 5 }\n'));
  writeFileSync(crash, scenario('crash-me'));
  writeFileSync(bad, scenario('bad').replace('requests: 5', 'requestz: 5'));
  return { dir, good, crash, bad };
}

describe('an internal error', () => {
  it('exits 3 with one line naming the bug, where it is and where to report it; no stack', async () => {
    const f = files();
    const c = io();
    expect(await main(['run', f.crash, '--no-charts', '--out', join(f.dir, 'out')], c.io, {})).toBe(3);
    const lines = c.err().trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^internal error: TypeError: planted bug in the simulator \(at test\/exit-codes\.test\.ts:\d+:\d+\)\. This is a bug in routesim, not in your input; please report it to the routesim issue tracker/,
    );
    expect(lines[0]).toContain('--debug or ROUTESIM_DEBUG=1');
    expect(existsSync(join(f.dir, 'out'))).toBe(false);
  });

  it('prints the stack with --debug, and with ROUTESIM_DEBUG=1', async () => {
    const f = files();
    const a = io();
    expect(await main(['run', f.crash, '--no-charts', '--debug', '--out', join(f.dir, 'o')], a.io, {})).toBe(
      3,
    );
    expect(a.err()).toMatch(/\nTypeError: planted bug in the simulator\n\s+at /);
    const b = io();
    const env = { ROUTESIM_DEBUG: '1' };
    expect(await main(['run', f.crash, '--no-charts', '--out', join(f.dir, 'o')], b.io, env)).toBe(3);
    expect(b.err()).toMatch(/\n\s+at .*exit-codes\.test\.ts/);
  });
});

describe('a chart that fails to draw', () => {
  it('keeps report.json, run.json and summary.md on disk, says so, and exits 3', async () => {
    const f = files();
    const out = join(f.dir, 'out');
    plant.chartsFail = true;
    try {
      const c = io();
      expect(await main(['run', f.good, '--quiet', '--out', out], c.io, {})).toBe(3);
      expect(c.err()).toContain(
        `internal error: ChartsFailed: drawing the charts failed (RangeError: Maximum call stack size exceeded); ${out} holds report.json, run.json, summary.md without charts`,
      );
    } finally {
      plant.chartsFail = false;
    }
    expect(JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')).requests.completed).toBe(5);
    expect(existsSync(join(out, 'run.json'))).toBe(true);
    expect(readFileSync(join(out, 'summary.md'), 'utf8')).not.toContain('## Charts');
    expect(existsSync(join(out, 'charts'))).toBe(false);
    expect(existsSync(join(out, 'report.html'))).toBe(false);
  });
});

describe('check over good, invalid and crashing files', () => {
  it('runs every file that loads, reports each outcome, writes a JUnit error per file that could not run, exits the worst', async () => {
    const f = files();
    const out = join(f.dir, 'reports');
    const junit = join(f.dir, 'junit.xml');
    const c = io();
    const code = await main(
      [
        'check',
        f.bad,
        f.good,
        f.crash,
        '--no-html',
        '--out',
        out,
        '--reporter',
        'junit',
        '--junit-out',
        junit,
      ],
      c.io,
      {},
    );
    expect(code).toBe(3);
    expect(c.err()).toMatch(/bad\.yaml:5:\d+: .*requestz/);
    expect(c.err()).toContain(`error: ${f.crash}: internal error: TypeError: planted bug in the simulator`);
    expect(c.out()).toMatch(/ERROR\s+internal error: TypeError: planted bug/);
    expect(c.out()).toContain('check FAILED: 2 of 3 checks in 3 scenario(s); 2 scenario(s) could not run');
    // The good file ran and was judged despite the others.
    expect(JSON.parse(readFileSync(join(out, 'good', 'report.json'), 'utf8')).requests.completed).toBe(5);
    expect(existsSync(join(out, 'crash'))).toBe(false);
    const xml = readFileSync(junit, 'utf8');
    expect(xml).toContain('<testsuites name="routesim check" tests="3" failures="0" errors="2">');
    expect(xml).toMatch(
      /<testsuite name="bad" tests="1" failures="0" errors="1"[^>]*file="[^"]*bad\.yaml">\s*<testcase name="could not run: invalid input"[^>]*line="5">\s*<error message="[^"]*requestz[^"]*" type="invalid input">/,
    );
    expect(xml).toMatch(
      /<testsuite name="crash-me"[^>]*>\s*<testcase name="could not run: internal error"[^>]*>\s*<error message="internal error: TypeError: planted bug[^"]*" type="internal error">/,
    );
    expect(xml).toMatch(/<testsuite name="good" tests="1" failures="0" errors="0"/);
  });

  it('without a crash, an invalid file makes the exit 2 and a failed expectation alone 1', async () => {
    const f = files();
    const out = join(f.dir, 'reports');
    expect(await main(['check', f.good, f.bad, '--no-html', '--out', out], io().io, {})).toBe(2);
    const failing = join(f.dir, 'failing.yaml');
    writeFileSync(failing, scenario('failing', 'expect:\n  - { metric: requests.completed, "==": 4 }\n'));
    expect(await main(['check', f.good, failing, '--no-html', '--out', out], io().io, {})).toBe(1);
    expect(await main(['check', f.good, '--no-html', '--out', out], io().io, {})).toBe(0);
  });

  it('a baseline that cannot be read is that file’s error; the other files are still judged', async () => {
    const f = files();
    const base = join(f.dir, 'baselines');
    mkdirSync(base);
    writeFileSync(join(base, 'bad.json'), 'not json');
    writeFileSync(f.bad, scenario('bad'));
    const c = io();
    const code = await main(
      ['check', f.bad, f.good, '--baseline', base, '--no-html', '--out', join(f.dir, 'r')],
      c.io,
      {},
    );
    expect(code).toBe(2);
    expect(c.out()).toMatch(/ERROR\s+baseline .*bad\.json is not JSON/);
    expect(c.out()).toMatch(/FAIL\s+no baseline at .*good\.json/);
  });
});
