import { describe, expect, it } from 'vitest';
import type { Expectation } from '../scenario/types.js';
import { evaluateExpectations, resolveMetric } from './expect.js';

const report = {
  requests: { failed: 0, total: 10 },
  latency: { e2e_ms: { p99: 1200 } },
  models: { 'llama-3.1-8b': { share: 0.25 }, llama: { share: 0.75 } },
};
const ex = (metric: string, op: Expectation['op'], value: number): Expectation => ({
  metric,
  op,
  value,
  line: 1,
  column: 1,
});

describe('expectations', () => {
  it('resolves dotted paths, including model ids that contain dots', () => {
    expect(resolveMetric(report, 'requests.failed')).toBe(0);
    expect(resolveMetric(report, 'latency.e2e_ms.p99')).toBe(1200);
    expect(resolveMetric(report, 'models.llama-3.1-8b.share')).toBe(0.25);
    expect(resolveMetric(report, 'models.llama.share')).toBe(0.75);
    expect(resolveMetric(report, 'models.nope.share')).toBeNull();
    expect(resolveMetric(report, 'latency.e2e_ms')).toBeNull();
  });
  it('evaluates every operator, and fails a missing metric', () => {
    const r = evaluateExpectations(report, [
      ex('requests.failed', '==', 0),
      ex('requests.total', '!=', 10),
      ex('latency.e2e_ms.p99', '<', 1200),
      ex('latency.e2e_ms.p99', '<=', 1200),
      ex('models.llama.share', '>', 0.7),
      ex('models.llama.share', '>=', 0.8),
      ex('models.x.share', '>=', 0),
    ]);
    expect(r.map((e) => e.pass)).toEqual([true, false, false, true, true, false, false]);
    expect(r[6].actual).toBeNull();
  });
  it('reads a strategy without decisions as 0', () => {
    const r = evaluateExpectations({ routing: { strategy_counts: { random: 5 } } }, [
      ex('routing.strategy_counts.round_robin', '==', 0),
      ex('routing.strategy_counts.random', '==', 5),
    ]);
    expect(r.map((e) => [e.actual, e.pass])).toEqual([
      [0, true],
      [5, true],
    ]);
  });
});
