/**
 * router.retry_budget end to end: during an outage every attempt fails, so without a budget each request
 * makes 1 + max_retries attempts; with one, retries stay within the budget's share of recent requests.
 */
import { describe, expect, it } from 'vitest';
import { runScenario } from '../src/experiments/run-scenario.js';
import type { Report } from '../src/report/types.js';
import { loadScenario } from '../src/scenario/load.js';

async function run(text: string): Promise<Report> {
  const r = loadScenario(text, '');
  if (!r.ok) throw new Error(r.issues.map((i) => `${i.line}:${i.column} ${i.message}`).join('\n'));
  return (await runScenario(r.scenario)).report;
}

// 10 requests/s for 60 s against one model that fails every attempt after 100 ms.
const SCN = `
router: { max_retries: 3, retry_delay: 0s, outlier_detection: { consecutive_failures: 0 } BUDGET }
models: [{ id: M, max_concurrency: 100, failure_rate: 1, latency: { service: 100ms } }]
traffic: { arrivals: { process: constant, rate: 10/s }, requests: 600 }
`;

describe('router.retry_budget', () => {
  it('without a budget, every request is retried max_retries times (amplification 4)', async () => {
    const r = await run(SCN.replace(' BUDGET', ''));
    expect(r.models.M.attempts).toBe(2400);
    expect(r.routing.retries).toBe(1800);
    expect(r.routing.retries_denied).toBeUndefined();
  });

  it('with retry_budget 0.2, retries stay within 20% of the requests of any 10 s window', async () => {
    const r = await run(SCN.replace(' BUDGET', ', retry_budget: 0.2'));
    // Each second brings 10 requests into the window, so it grants 2 retries a second, from the first
    // second on: 120 in all. A request's retry fails too and asks again: every request ends denied.
    expect(r.timeline.retries.slice(0, 60)).toEqual(new Array(60).fill(2));
    expect(r.routing).toMatchObject({ retries: 120, retries_denied: 600 });
    expect(r.models.M.attempts).toBe(720);
    expect(r.requests).toMatchObject({ total: 600, failed: 600, retried: 120 });
    expect(r.config).toMatchObject({ router: { retry_budget: 0.2, retry_budget_window_ms: 10_000 } });
  });
});
