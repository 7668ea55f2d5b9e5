import { describe, expect, it } from 'vitest';
import { QuotaWindow } from './quota.js';
import { at, attempt, modelSpec, setup } from './testkit.js';

describe('QuotaWindow', () => {
  it('counts requests per fixed minute window aligned to t = 0 (exact)', () => {
    const { engine, cluster } = setup([
      modelSpec({
        max_concurrency: 100,
        quota: { tokens_per_minute: Number.POSITIVE_INFINITY, requests_per_minute: 3, initial_used: 0 },
      }),
    ]);
    const b = cluster.backend(0);
    const seen: string[] = [];
    for (const t of [0, 10_000, 59_999, 59_999.5, 60_000, 61_000, 119_000, 119_500, 120_000]) {
      at(engine, t, () => seen.push(b.submit(attempt(t))));
    }
    at(engine, 30_000, () => {
      expect(cluster.usage(0)).toBeCloseTo(2 / 3, 12);
      expect(cluster.checkQuota(0, 1)).toBe(true);
    });
    at(engine, 59_999.9, () => expect(cluster.checkQuota(0, 1)).toBe(false));
    engine.run();
    expect(seen).toEqual([
      'accepted',
      'accepted',
      'accepted',
      'rate_limited',
      'accepted',
      'accepted',
      'accepted',
      'rate_limited',
      'accepted',
    ]);
    expect(cluster.stats(0).rate_limited).toBe(2);
  });

  it('charges prompt + output tokens; initial_used pre-spends window 0 only', () => {
    const q = new QuotaWindow({ tokens_per_minute: 1000, requests_per_minute: 10, initial_used: 0.5 });
    expect(q.usage(0)).toBe(0.5);
    expect(q.hasRoom(0, 500)).toBe(true);
    expect(q.hasRoom(0, 501)).toBe(false);
    q.charge(0, 300);
    expect(q.used(1)).toEqual({ tokens: 800, requests: 6 });
    expect(q.usage(1)).toBeCloseTo(0.8, 12);
    expect(q.hasRoom(59_000, 201)).toBe(false);
    expect(q.hasRoom(60_000, 1000)).toBe(true);
    expect(q.usage(60_000)).toBe(0);
    expect(q.totalTokens).toBe(300);
  });

  it('a rate-limited attempt is charged nothing and reported nowhere; setQuota applies at once', () => {
    const { engine, host, cluster } = setup([
      modelSpec({
        max_concurrency: 100,
        quota: { tokens_per_minute: 250, requests_per_minute: Number.POSITIVE_INFINITY, initial_used: 0 },
      }),
    ]);
    const b = cluster.backend(0);
    expect(b.submit(attempt(1, 100, 20))).toBe('accepted'); // 120
    expect(b.submit(attempt(2, 100, 100))).toBe('rate_limited'); // 320 > 250
    expect(b.submit(attempt(3, 100, 30))).toBe('accepted'); // 250
    expect(cluster.usage(0)).toBe(1);
    cluster.setQuota(0, 500, Number.POSITIVE_INFINITY);
    expect(cluster.usage(0)).toBe(0.5);
    expect(b.submit(attempt(4, 200, 50))).toBe('accepted');
    engine.run();
    expect(host.done.map((d) => d.id)).toEqual([1, 3, 4]);
    expect(cluster.quotaCharged(0)).toEqual({ tokens: 120 + 130 + 250, requests: 3 });
  });
});
