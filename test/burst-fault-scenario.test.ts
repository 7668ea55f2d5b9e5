/**
 * scenarios/burst-fault.yaml: model b (half the slots) goes unhealthy at 55 s, mid-burst, and is repaired
 * at 75 s. What must hold, at the scenario's seed and four more: the router notices each change within
 * one probe cycle plus one interval (probes every 2 s, 2 in a row: [0, 6 s]); errors, retries and
 * fallbacks happen only between the fault and the detected repair, and all of them are needed (none
 * before the fault); every failed attempt was b's and was rescued by a retry. The failures chart marks
 * the events and the detection moments.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runScenario } from '../src/experiments/run-scenario.js';
import { failuresChart } from '../src/report/charts/failures.js';
import { renderSvg } from '../src/report/charts/render.js';
import type { Report } from '../src/report/types.js';
import { loadScenarioFile } from '../src/scenario/load.js';

const FILE = join(import.meta.dirname, '..', 'scenarios', 'burst-fault.yaml');
const PROBE_MS = 2000;
const UNHEALTHY_AFTER = 2;
const HEALTHY_AFTER = 2;

async function run(seed?: number): Promise<Report> {
  const r = loadScenarioFile(FILE, seed === undefined ? {} : { seed });
  if (!r.ok) throw new Error(r.issues.map((i) => `${i.line}:${i.column} ${i.message}`).join('\n'));
  expect(r.scenario.router.probes).toEqual({
    interval_ms: PROBE_MS,
    unhealthy_after: UNHEALTHY_AFTER,
    healthy_after: HEALTHY_AFTER,
  });
  return (await runScenario(r.scenario)).report;
}

const sum = (xs: readonly number[], from: number, to = xs.length) =>
  xs.slice(from, to).reduce((a, b) => a + b, 0);

describe('burst-fault: a model fails at the peak of a burst', () => {
  it.each([21, 22, 23, 24, 25])(
    'seed %i: detection delays, and failures only in the fault window',
    async (seed) => {
      const r = await run(seed);
      const [down, up] = r.models.b.health_changes;
      expect(down.true_health).toBe('unhealthy');
      expect(down.at_ms).toBe(55_000);
      expect(up.true_health).toBe('healthy');
      expect(up.at_ms).toBe(75_000);
      // Probes alone notice within unhealthy_after probes plus the wait for the first one; passive outlier
      // detection (5 fast errors in a row) is usually quicker.
      expect(down.delay_ms).toBeGreaterThanOrEqual(0);
      expect(down.delay_ms!).toBeLessThanOrEqual(PROBE_MS * UNHEALTHY_AFTER + PROBE_MS);
      // Recovery is seen by probes only: healthy_after good probes, the first within one interval.
      expect(up.delay_ms!).toBeGreaterThanOrEqual(PROBE_MS * (HEALTHY_AFTER - 1));
      expect(up.delay_ms!).toBeLessThanOrEqual(PROBE_MS * HEALTHY_AFTER + PROBE_MS);

      // The fault window in 1 s buckets: [55, repair detected).
      const tl = r.timeline;
      const from = 55;
      const to = Math.ceil(up.detected_at_ms! / 1000);
      for (const k of ['errors', 'retries', 'fallbacks'] as const) {
        expect(sum(tl[k], 0, from), `${k} before the fault`).toBe(0);
        expect(sum(tl[k], from, to), `${k} in the fault window`).toBeGreaterThan(0);
        expect(sum(tl[k], to), `${k} after the repair was noticed`).toBe(0);
      }
      // Errors stop once the router knows: within the bucket of the detection (and the next, for attempts
      // already on their way).
      const noticed = Math.floor(down.detected_at_ms! / 1000);
      expect(sum(tl.errors, noticed + 2)).toBe(0);
      // Every error was an attempt on b, and every one was retried to success elsewhere.
      expect(r.models.b.failed_attempts).toBe(sum(tl.errors, 0));
      expect(r.routing.retries).toBe(sum(tl.errors, 0));
      expect(r.requests.failed).toBe(0);
      expect(r.requests.rejected).toBe(0);
      // b gets nothing while the router believes it down, and traffic again after the repair is noticed.
      expect(sum(tl.routed.b, noticed + 1, to - 1)).toBe(0);
      expect(sum(tl.routed.b, to + 1)).toBeGreaterThan(100);
    },
  );

  it('the failures chart marks the events and when the router noticed them', async () => {
    const r = await run();
    const chart = failuresChart(r)!;
    const text = JSON.stringify(chart.spec);
    const [down, up] = r.models.b.health_changes;
    // Detection rules sit at the detection times (seconds), bands start at the true changes.
    expect(text).toContain(`"t0":55,"t":${down.detected_at_ms! / 1000}`);
    expect(text).toContain(`"t0":75,"t":${up.detected_at_ms! / 1000}`);
    const svg = await renderSvg(chart.spec);
    for (const label of [
      'b: unhealthy',
      'b: healthy',
      'b unhealthy: noticed after',
      'b healthy: noticed after 3 s',
    ])
      expect(svg).toContain(label);
    expect(svg).toContain('Retries');
    expect(svg).toContain('Fallbacks');
  });
});
