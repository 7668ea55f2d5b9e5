import { describe, expect, it } from 'vitest';
import { closest, didYouMean, editDistance } from './suggest.js';

describe('suggestions', () => {
  it('counts edits', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('same', 'same')).toBe(0);
  });
  it('suggests the closest key within reach, and nothing when far', () => {
    expect(didYouMean('stratgy', ['strategy', 'signals'])).toBe('did you mean `strategy`?');
    expect(closest('max_concurency', ['max_queue', 'max_concurrency'])).toBe('max_concurrency');
    expect(closest('Latency', ['latency'])).toBe('latency');
    expect(closest('zebra', ['strategy', 'models'])).toBeUndefined();
  });
});

describe('prefix preference', () => {
  it('completes a truncated word to the shortest candidate it begins', () => {
    expect(closest('balance.jain', ['balance.cv', 'balance.jain_index'])).toBe('balance.jain_index');
    expect(closest('llama', ['qwen-72b', 'llama-70b', 'llama-70b-instruct'])).toBe('llama-70b');
    expect(closest('ma', ['max_queue'])).toBeUndefined();
  });
});

describe('short words', () => {
  it('does not call a whole replacement a typo', () => {
    expect(closest('b', ['a'])).toBeUndefined();
    expect(closest('ab', ['ac'])).toBe('ac');
  });
});
