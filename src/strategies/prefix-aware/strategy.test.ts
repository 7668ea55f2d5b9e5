import { describe, expect, it } from 'vitest';
import { MemoryCacheView } from '../../router/memory-views.js';
import { build, makeContext } from '../testkit.js';

function view(): MemoryCacheView {
  const v = new MemoryCacheView([0, 0, 0]);
  v.addBlocks(0, [1, 2]);
  v.addBlocks(1, [1, 2, 3, 4]);
  return v;
}

describe('prefix_aware', () => {
  it('takes the longest cached prefix', () => {
    const s = makeContext(3, { load: [0.1, 0.2, 0] });
    s.request = { estimated_tokens: 10, prefix_blocks: [1, 2, 3, 4] };
    expect(build('prefix_aware', {}, 3, { cache: view() }).pick(s)).toBe(1);
    expect(s.score).toBe(1);
  });
  it('will not pick a model busier than the least loaded by more than max_imbalance', () => {
    const s = makeContext(3, { load: [0.3, 0.8, 0] });
    s.request = { estimated_tokens: 10, prefix_blocks: [1, 2, 3, 4] };
    expect(build('prefix_aware', { max_imbalance: 0.5 }, 3, { cache: view() }).pick(s)).toBe(0); // 0.8 > 0 + 0.5
    expect(s.score).toBe(0.5);
    expect(build('prefix_aware', { max_imbalance: 1 }, 3, { cache: view() }).pick(s)).toBe(1);
  });
  it('without any match: least loaded', () => {
    const s = makeContext(3, { load: [0.3, 0.8, 0.1] });
    s.request = { estimated_tokens: 10, prefix_blocks: [9] };
    expect(build('prefix_aware', {}, 3, { cache: view() }).pick(s)).toBe(2);
    expect(s.reason).toBe('prefix_aware: no cached prefix, lowest load');
  });
});
