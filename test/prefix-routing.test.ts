/**
 * Prefix-aware routing on the Mooncake conversation trace (scenarios/prefix-mooncake.yaml: the first 10
 * minutes, 1,750 requests, four models with 1M-token block LRUs and continuous batching). Every Mooncake
 * request starts with the same block 0, so the lookup hit rate is ~1 whatever the routing; what differs is
 * how much of each prompt is served from cache (cache.token_hit_rate) and so how much prefill the models
 * pay. Measured at seeds 11, 12, 13: prefix_aware 0.176-0.186 of prompt tokens from cache, least_loaded
 * 0.079-0.080, cache_aware 0.065-0.069; TTFT mean prefix_aware / least_loaded 0.76-0.84, e2e p50 ratio
 * 0.78-0.80. cache_aware ranks by the observed hit rate, which is ~1 everywhere, so it herds onto
 * whichever model is marginally ahead (Jain's index 0.75) and queues: TTFT p50 ~87 s.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runScenario } from '../src/experiments/run-scenario.js';
import type { Report } from '../src/report/types.js';
import { loadScenarioFile } from '../src/scenario/load.js';

const FILE = join(import.meta.dirname, '..', 'scenarios', 'prefix-mooncake.yaml');

async function runWith(strategy: string): Promise<Report> {
  const r = loadScenarioFile(FILE, { overrides: { 'router.strategy': strategy } });
  if (!r.ok) throw new Error(r.issues.map((i) => `${i.line}:${i.column} ${i.message}`).join('\n'));
  return (await runScenario(r.scenario)).report;
}

describe('prefix-mooncake: prefix_aware vs cache_aware vs least_loaded', () => {
  // The scenario replays data/mooncake-conversation.jsonl, which ships with the repository.
  it('prefix_aware reuses deeper prefixes and answers sooner', async () => {
    const [pa, ca, ll] = await Promise.all(['prefix_aware', 'cache_aware', 'least_loaded'].map(runWith));
    for (const r of [pa, ca, ll]) {
      // The same 1,750 trace rows replayed, all served.
      expect(r.requests.total).toBe(1750);
      expect(r.requests.completed).toBe(1750);
      // Block 0 is shared by every request: nearly every lookup hits, whatever the strategy.
      expect(r.cache.hit_rate).toBeGreaterThan(0.99);
    }
    // Token-level reuse: prefix_aware more than twice the others.
    expect(pa.cache.token_hit_rate).toBeGreaterThan(0.16);
    expect(ll.cache.token_hit_rate).toBeLessThan(0.1);
    expect(ca.cache.token_hit_rate).toBeLessThan(0.1);
    expect(pa.cache.token_hit_rate).toBeGreaterThan(2 * ll.cache.token_hit_rate);
    // Less prefill -> lower TTFT and e2e: prefix_aware < least_loaded < cache_aware.
    expect(pa.latency.ttft_ms.mean).toBeLessThan(0.9 * ll.latency.ttft_ms.mean);
    expect(pa.latency.ttft_ms.p50).toBeLessThan(0.9 * ll.latency.ttft_ms.p50);
    expect(pa.latency.e2e_ms.p50).toBeLessThan(0.85 * ll.latency.e2e_ms.p50);
    expect(ll.latency.ttft_ms.p50).toBeLessThan(ca.latency.ttft_ms.p50 / 5);
    // prefix_aware's load guard keeps the balance of least_loaded; cache_aware herds.
    expect(pa.balance.jain_index).toBeGreaterThan(0.98);
    expect(ca.balance.jain_index).toBeLessThan(0.9);
  });
});
