import { describe, expect, it } from 'vitest';
import { RetryBudget } from './retry-budget.js';

describe('RetryBudget', () => {
  it('grants retries up to ratio × the requests of the window', () => {
    const b = new RetryBudget(0.2, 10_000);
    for (let i = 0; i < 10; i++) b.request(i * 100);
    // 10 requests: 2 retries.
    expect([b.tryRetry(1000), b.tryRetry(1000), b.tryRetry(1000)]).toEqual([true, true, false]);
    for (let i = 0; i < 5; i++) b.request(1500);
    expect([b.tryRetry(1500), b.tryRetry(1500)]).toEqual([true, false]);
  });

  it('forgets what left the window (in steps of a tenth of it)', () => {
    const b = new RetryBudget(0.5, 10_000);
    for (let i = 0; i < 4; i++) b.request(0);
    expect([b.tryRetry(500), b.tryRetry(500), b.tryRetry(500)]).toEqual([true, true, false]);
    // At 9.999 s the bucket [0, 1 s) is still in the window; at 10 s it has left (requests and retries).
    expect(b.tryRetry(9999)).toBe(false);
    b.request(10_000);
    b.request(10_000);
    expect([b.tryRetry(10_000), b.tryRetry(10_000)]).toEqual([true, false]);
    // Long after: everything is gone.
    expect(b.tryRetry(1e9)).toBe(false);
    b.request(1e9);
    b.request(1e9);
    expect(b.tryRetry(1e9)).toBe(true);
  });

  it('a window of 0 refuses every retry', () => {
    const b = new RetryBudget(1, 0);
    b.request(0);
    expect(b.tryRetry(0)).toBe(false);
  });
});
