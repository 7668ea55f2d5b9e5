/**
 * The time axis of every time-series chart, and the "simulated" figure in report.html, follow how long the
 * run went on, not its horizon: a scenario without `duration:` has an infinite horizon (null in
 * report.json), which once gave a 25 s run a minutes axis with a single "0.0" tick and "∞ s simulated".
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadChart } from '../src/report/charts/load.js';
import { timeScale } from '../src/report/charts/style.js';
import { renderHtml } from '../src/report/html.js';
import type { Report } from '../src/report/types.js';

const sample: Report = JSON.parse(
  readFileSync(join(import.meta.dirname, 'fixtures/report-sample.json'), 'utf8'),
);

function withSim(horizon_s: number | null, end_s: number): Report {
  const r: Report = structuredClone(sample);
  r.sim = { ...r.sim, horizon_s: horizon_s as number, end_s };
  return r;
}

describe('chart time axis', () => {
  it('is in seconds for a short run with no duration (infinite horizon, or null once read back)', () => {
    expect(timeScale(withSim(Number.POSITIVE_INFINITY, 25))).toEqual({
      divisor: 1000,
      title: 'Simulated time (s)',
    });
    expect(timeScale(withSim(null, 25)).divisor).toBe(1000);
  });

  it('is in minutes for a run that went on for over two hours', () => {
    expect(timeScale(withSim(Number.POSITIVE_INFINITY, 3 * 3600))).toEqual({
      divisor: 60_000,
      title: 'Simulated time (min)',
    });
    expect(timeScale(withSim(10 * 3600, 7201)).divisor).toBe(60_000);
  });

  it('labels the load chart in seconds for a 25 s run without a horizon', () => {
    const spec = JSON.stringify(loadChart(withSim(Number.POSITIVE_INFINITY, 25)));
    expect(spec).toContain('Simulated time (s)');
    expect(spec).not.toContain('Simulated time (min)');
  });
});

describe('report.html header', () => {
  it('gives the simulated time the run took, never "∞ s", and the horizon only when one was set', () => {
    const open = renderHtml(withSim(Number.POSITIVE_INFINITY, 124.182844));
    expect(open).toContain('124 s simulated ·');
    expect(open).not.toContain('∞');
    expect(renderHtml(withSim(600, 120))).toContain('120 s simulated of a 600 s horizon');
  });
});
