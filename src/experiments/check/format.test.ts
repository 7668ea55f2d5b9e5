import { describe, expect, it } from 'vitest';
import type { Baseline } from './check.js';
import { baselineUpdateNote } from './format.js';

const base = (metrics: Baseline['metrics'], seed = 1): Baseline => ({
  scenario: 's',
  seed,
  version: '0.1.0',
  metrics,
});

describe('baselineUpdateNote', () => {
  it('says what was created, and that an identical rewrite changed nothing', () => {
    const b = base({ 'latency.e2e_ms.p99': 1428, 'requests.failed': 0 });
    expect(baselineUpdateNote('b.json', null, b)).toBe('created baseline b.json: 2 metrics of s (seed 1)');
    expect(baselineUpdateNote('b.json', b, structuredClone(b))).toBe('baseline b.json unchanged: 2 metrics');
  });

  it('lists each moved metric old → new, with enough digits to tell them apart, and what was added or removed', () => {
    const old = base({ 'latency.e2e_ms.p99': 1428, 'balance.jain_index': 0.970831, 'models.x.share': 0.5 });
    const next = base(
      { 'latency.e2e_ms.p99': 1431.5, 'balance.jain_index': 0.970832, 'models.y.share': 0.5 },
      2,
    );
    expect(baselineUpdateNote('b.json', old, next)).toBe(
      'updated baseline b.json: 2 of 3 metrics changed: latency.e2e_ms.p99 1,428 → 1,432, ' +
        'balance.jain_index 0.970831 → 0.970832; added models.y.share; removed models.x.share; seed 1 → 2',
    );
  });

  it('names only the first 8 changes and counts the rest', () => {
    const old = base(Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`m${i}`, i])));
    const next = base(Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`m${i}`, i + 1])));
    const note = baselineUpdateNote('b.json', old, next);
    expect(note).toContain('10 of 10 metrics changed: m0 0 → 1,');
    expect(note).toMatch(/m7 7 → 8 and 2 more$/);
  });
});
