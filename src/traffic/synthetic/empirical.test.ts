import { describe, expect, it } from 'vitest';
import { fixture } from '../traces/testkit.js';
import { empiricalFromTrace } from './empirical.js';

describe('empiricalFromTrace', () => {
  it("takes a column's values from a trace", () => {
    expect(empiricalFromTrace(fixture('azure-small.csv'), 'azure', 'prompt_tokens')).toEqual({
      dist: 'empirical',
      samples: [4808, 3180, 110, 7437, 1],
    });
    expect(empiricalFromTrace(fixture('mooncake-small.jsonl'), 'mooncake', 'output_tokens').samples).toEqual([
      50, 20, 3, 9,
    ]);
  });

  it('keeps a seeded reservoir of at most maxSamples values from the file', () => {
    const a = empiricalFromTrace(fixture('azure-small.csv'), 'azure', 'prompt_tokens', { maxSamples: 2 });
    expect(a.samples.length).toBe(2);
    for (const v of a.samples) expect([4808, 3180, 110, 7437, 1]).toContain(v);
    expect(
      empiricalFromTrace(fixture('azure-small.csv'), 'azure', 'prompt_tokens', { maxSamples: 2 }),
    ).toEqual(a);
  });
});
