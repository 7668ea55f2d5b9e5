import { describe, expect, it } from 'vitest';
import type { CacheView } from '../../router/views.js';
import { build, makeContext } from '../testkit.js';

const kv = (free: number[]): CacheView => ({ getCacheHitRate: () => 0, freeKvBlocks: (i) => free[i] });

describe('kv_aware', () => {
  it('takes the model with the most free KV blocks, whatever its load', () => {
    const s = makeContext(3, { load: [0.1, 0.9, 0.5] });
    expect(build('kv_aware', {}, 3, { cache: kv([100, 900, 500]) }).pick(s)).toBe(1);
    expect(s.reason).toBe('kv_aware: most free KV blocks');
  });
  it('breaks a tie on free blocks by lower load', () => {
    const s = makeContext(3, { load: [0.4, 0.2, 0.1] });
    expect(build('kv_aware', {}, 3, { cache: kv([500, 500, 100]) }).pick(s)).toBe(1);
  });
  it('skips models without a KV figure; with none anywhere, the least loaded', () => {
    const s = makeContext(3, { load: [0.4, 0.2, 0.3] });
    expect(build('kv_aware', {}, 3, { cache: kv([Number.NaN, Number.NaN, 10]) }).pick(s)).toBe(2);
    expect(build('kv_aware', {}, 3, { cache: kv([Number.NaN, Number.NaN, Number.NaN]) }).pick(s)).toBe(1);
    expect(s.reason).toBe('kv_aware: no KV figures, lowest load');
  });
});
