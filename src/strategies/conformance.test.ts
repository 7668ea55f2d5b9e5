/**
 * The shared conformance suite: every registered strategy, built with default options, must pass these
 * (after hono's router/common.case.test.ts). Strategy-specific behaviour lives beside each strategy.
 */
import { describe, expect, it } from 'vitest';
import { SeededRng } from '../engine/rng.js';
import { MemoryCacheView } from '../router/memory-views.js';
import { STRATEGY_NAMES, type StrategyName } from './index.js';
import { build, makeContext } from './testkit.js';

const N = 8;

/** The cache view of the contexts "with views": model m caches the prefix blocks 0..m-1. */
const cacheView = new MemoryCacheView(new Array(N).fill(0.5));
for (let m = 0; m < N; m++)
  cacheView.addBlocks(
    m,
    Array.from({ length: m }, (_, b) => b),
  );

/** A seeded sequence of random pick contexts over N models with random eligible subsets (some empty). */
function* randomContexts(seed: number, count: number, withViews: boolean) {
  const r = new SeededRng(seed);
  const arr = () => Array.from({ length: N }, () => r.next());
  for (let k = 0; k < count; k++) {
    const eligible = Array.from({ length: N }, (_, i) => i).filter(() => r.next() < 0.5);
    const s = makeContext(N, {
      eligible,
      seed: seed + k,
      ...(withViews ? { load: arr().map((x) => x * 1.5), cache: arr(), quota: arr() } : {}),
      latency: arr().map((x) => (x < 0.3 ? Number.NaN : x * 500)),
      weight: arr().map((x) => x + 0.01),
      cost: arr(),
    });
    s.request = { estimated_tokens: 100, prefix_blocks: [0, 1, 2, 3, 4, 5] };
    yield s;
  }
}

/** Strategies whose ties go to the lowest index by design, so equal models do not share traffic. */
const DETERMINISTIC_TIES: Partial<Record<StrategyName, string>> = {
  cost_based:
    'cost_based breaks equal-cost, equal-load ties by lowest index on purpose (stable, cheapest first)',
};

describe.each(STRATEGY_NAMES)('strategy %s (conformance)', (name) => {
  it.each([true, false])('never picks an ineligible model (views present: %s)', (withViews) => {
    const p = build(name, {}, N, { cache: withViews ? cacheView : null });
    let picks = 0;
    for (const s of randomContexts(7, 400, withViews)) {
      const allowed = Array.from(s.eligible.subarray(0, s.count));
      const i = p.pick(s);
      if (s.count === 0) expect(i).toBe(-1);
      else {
        expect(allowed).toContain(i);
        expect(s.score).toBeGreaterThanOrEqual(0);
        expect(s.score).toBeLessThanOrEqual(1);
        expect(s.reason.startsWith(name)).toBe(true);
        picks++;
      }
    }
    expect(picks).toBeGreaterThan(350);
  });

  it('is deterministic under a seed', () => {
    const run = () => {
      const p = build(name, {}, N, { cache: cacheView });
      return Array.from(randomContexts(11, 200, true), (s) => p.pick(s));
    };
    expect(run()).toEqual(run());
  });

  it('copes with one model', () => {
    for (const withViews of [true, false]) {
      const p = build(name, {}, N);
      for (let k = 0; k < 20; k++) {
        const s = makeContext(
          N,
          withViews
            ? { eligible: [5], load: new Array(N).fill(0.2), cache: [], quota: [] }
            : { eligible: [5] },
        );
        expect(p.pick(s)).toBe(5);
      }
    }
  });

  it('copes with none (returns -1)', () => {
    const p = build(name, {}, N);
    expect(p.pick(makeContext(N, { eligible: [] }))).toBe(-1);
    expect(p.pick(makeContext(N, { eligible: [], load: [], cache: [], quota: [] }))).toBe(-1);
  });

  const skip = DETERMINISTIC_TIES[name];
  it.skipIf(skip !== undefined)(
    `spreads traffic over identical models${skip ? ` — skipped: ${skip}` : ''}`,
    () => {
      const p = build(name, {}, 4);
      const s = makeContext(4, { load: [0, 0, 0, 0], cache: [0.5, 0.5, 0.5, 0.5], quota: [0, 0, 0, 0] });
      const seen = new Set<number>();
      for (let k = 0; k < 200; k++) seen.add(p.pick(s));
      expect(seen.size).toBe(4);
    },
  );

  it('rejects unknown options with its name and the field', () => {
    expect(() => build(name, { bogus_option: 1 })).toThrow(
      new RegExp(`^${name}: unknown option strategy_options\\.bogus_option`),
    );
  });
});
