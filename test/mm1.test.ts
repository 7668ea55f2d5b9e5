/**
 * The simulator against queueing theory. One model with one slot, Poisson arrivals at rate λ and an
 * exponential service time with rate μ = 100/s (mean 10 ms) is an M/M/1 queue, whose mean time in system
 * is 1/(μ − λ): 20 ms at 50% load, 100 ms at 90%.
 *
 * How honest the bounds are: the run-to-run spread of the sample mean (measured over seeds 1..4) is about
 * ±1.5% at 50% load with 150k requests and ±2.5% at 90% with 400k requests (near saturation successive
 * waits are strongly correlated, so it takes many more requests). Each seed must land within 5% (50%)
 * or 8% (90%), and the mean over three seeds within 2.5% / 4% — two to three standard errors: loose
 * enough not to flake, tight enough that an off-by-one in queueing (or service drawn from the wrong
 * distribution) fails it.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runScenario } from '../src/experiments/run-scenario.js';
import { loadScenarioFile } from '../src/scenario/load.js';
import type { Scenario } from '../src/scenario/types.js';

const FILE = join(import.meta.dirname, '..', 'scenarios', 'mm1.yaml');
const MU = 100; // per second: the file's service mean is 10 ms

function mm1(rate: number, requests: number, seed: number): Scenario {
  const r = loadScenarioFile(FILE, {
    seed,
    overrides: { 'traffic.arrivals.rate': rate, 'traffic.requests': requests },
  });
  if (!r.ok) throw new Error(r.issues.map((i) => i.message).join('\n'));
  r.scenario.expect = [];
  return r.scenario;
}

async function meanTimeInSystem(rate: number, requests: number, seed: number): Promise<number> {
  const { report } = await runScenario(mm1(rate, requests, seed));
  expect(report.requests.completed).toBe(requests);
  expect(report.routing.fallbacks).toBe(0);
  return report.latency.e2e_ms.mean;
}

describe('M/M/1', () => {
  const cases = [
    { load: 0.5, requests: 150_000, perSeed: 0.05, overall: 0.025 },
    { load: 0.9, requests: 400_000, perSeed: 0.08, overall: 0.04 },
  ];
  for (const c of cases) {
    it(`mean time in system at ${c.load * 100}% load is 1/(mu - lambda) within ${c.overall * 100}%`, async () => {
      const lambda = c.load * MU;
      const theory = 1000 / (MU - lambda);
      const means: number[] = [];
      for (const seed of [1, 2, 3]) {
        const m = await meanTimeInSystem(lambda, c.requests, seed);
        expect(Math.abs(m / theory - 1), `seed ${seed}: ${m} ms vs ${theory} ms`).toBeLessThan(c.perSeed);
        means.push(m);
      }
      const avg = means.reduce((a, b) => a + b, 0) / means.length;
      expect(Math.abs(avg / theory - 1), `mean ${avg} ms vs ${theory} ms`).toBeLessThan(c.overall);
    });
  }

  it('the shipped mm1.yaml meets its own expectations', async () => {
    const r = loadScenarioFile(FILE, { overrides: { 'traffic.requests': 50_000 } });
    if (!r.ok) throw new Error('mm1.yaml does not load');
    // At 50k requests the file's ±5% band around 20 ms still holds comfortably.
    r.scenario.expect = r.scenario.expect.filter((e) => e.metric !== 'requests.completed');
    const { report } = await runScenario(r.scenario);
    for (const e of report.expectations)
      expect(e.pass, `${e.metric} ${e.op} ${e.value}: ${e.actual}`).toBe(true);
  });
});
