import { describe, expect, it } from 'vitest';
import type { SessionSpec, SyntheticTraffic } from '../../core/types.js';
import { RngStreams } from '../../engine/rng.js';
import type { ArrivalRecord } from '../source.js';
import { expectedTurns, SyntheticSource } from './generator.js';

function spec(over: Partial<SyntheticTraffic> = {}): SyntheticTraffic {
  return {
    kind: 'synthetic',
    arrivals: { process: 'poisson', rate: 20, params: {} },
    requests: Number.POSITIVE_INFINITY,
    prompt_tokens: { dist: 'lognormal', median: 600, p99: 4000 },
    output_tokens: { dist: 'exponential', mean: 200 },
    sessions: null,
    ...over,
  };
}
function run(s: SyntheticTraffic, horizon = Number.POSITIVE_INFINITY, seed = 42): ArrivalRecord[] {
  const st = new RngStreams(seed);
  const src = new SyntheticSource(
    s,
    { arrivals: st.get('arrivals'), sizes: st.get('sizes'), sessions: st.get('sessions') },
    horizon,
  );
  const out: ArrivalRecord[] = [];
  // Copied: the source reuses its record object.
  for (let r = src.next(); r !== null; r = src.next()) out.push({ ...r });
  return out;
}
const sessions = (over: Partial<SessionSpec> = {}): SessionSpec => ({
  count: 50,
  popularity: 'zipf',
  zipf_s: 1,
  turns: { dist: 'fixed', value: 3 },
  think_time_ms: { dist: 'fixed', value: 1000 },
  ...over,
});

describe('synthetic source', () => {
  it('stops at `requests`, in time order, with whole lengths >= 1 and no blocks without sessions', () => {
    const rs = run(spec({ requests: 1000, output_tokens: { dist: 'uniform', min: 0, max: 2 } }));
    expect(rs.length).toBe(1000);
    expect(rs.every((r, i) => i === 0 || r.t_ms >= rs[i - 1].t_ms)).toBe(true);
    expect(rs.every((r) => Number.isInteger(r.prompt_tokens) && r.prompt_tokens >= 1)).toBe(true);
    expect(rs.every((r) => r.output_tokens >= 1 && r.output_tokens <= 2)).toBe(true);
    expect(rs.some((r) => r.prefix_blocks !== undefined || r.session_id !== undefined)).toBe(false);
  });

  it('stops at the horizon (poisson 20/s for 100 s: 2,000 +- 180)', () => {
    const rs = run(spec(), 100_000);
    expect(rs.every((r) => r.t_ms < 100_000)).toBe(true);
    expect(Math.abs(rs.length - 2000)).toBeLessThan(180);
  });

  it('keeps arrival times when only the length distributions change (separate streams)', () => {
    const a = run(spec({ requests: 200 }));
    const b = run(spec({ requests: 200, prompt_tokens: { dist: 'fixed', value: 5 } }));
    expect(b.map((r) => r.t_ms)).toEqual(a.map((r) => r.t_ms));
    expect(b.map((r) => r.output_tokens)).not.toEqual(a.map((r) => r.output_tokens));
  });

  it('builds conversations: turns think_time apart, growing context, shared full blocks (exact)', () => {
    const rs = run(
      spec({
        arrivals: { process: 'constant', rate: 3, params: {} }, // starts every 1 s once scaled by 1/3 turns
        prompt_tokens: { dist: 'fixed', value: 600 },
        output_tokens: { dist: 'fixed', value: 100 },
        sessions: sessions({ think_time_ms: { dist: 'fixed', value: 2500 } }),
      }),
      10_000,
    );
    // The conversation started at t = 0: turns at 0, 2500, 5000.
    const first = rs.filter((r) => r.prefix_blocks?.[0] === rs[0].prefix_blocks?.[0]);
    expect(first.map((r) => r.t_ms)).toEqual([0, 2500, 5000]);
    expect(first.map((r) => r.prompt_tokens)).toEqual([600, 1300, 2000]);
    const [b1, b2, b3] = first.map((r) => r.prefix_blocks as number[]);
    expect(b1.length).toBe(2); // ceil(600 / 512)
    expect(b2.length).toBe(3); // ceil(1300 / 512); keeps floor(600 / 512) = 1 block
    expect(b2[0]).toBe(b1[0]);
    expect(b2.slice(1)).not.toContain(b1[1]);
    expect(b3.length).toBe(4); // keeps floor(1300 / 512) = 2 blocks
    expect(b3.slice(0, 2)).toEqual(b2.slice(0, 2));
    expect(b3.slice(2)).not.toContain(b2[2]);
    expect(new Set(first.map((r) => r.session_id)).size).toBe(1);
    expect(first[0].session_id).toMatch(/^s\d+$/);
    // Starts every second; each conversation has 3 turns inside the horizon when it starts by t = 5 s.
    expect(rs.length).toBe(10 + 8 + 5); // starts at 0..9 s; 2nd turns (+2.5 s) of starts 0..7 s; 3rd (+5 s) of 0..4 s
    expect(rs.every((r) => r.block_tokens === 512)).toBe(true);
  });

  it('keeps arrivals.rate as the rate of requests with sessions (within 5%)', () => {
    const s = sessions({
      turns: { dist: 'exponential', mean: 4 },
      think_time_ms: { dist: 'exponential', mean: 5000 },
    });
    const rs = run(spec({ arrivals: { process: 'poisson', rate: 10, params: {} }, sessions: s }), 1_000_000);
    expect(Math.abs(rs.length - 10_000) / 10_000).toBeLessThan(0.05);
    expect(expectedTurns(s.turns)).toBeGreaterThan(3.8);
    expect(expectedTurns({ dist: 'fixed', value: 0.2 })).toBe(1);
  });

  it('gives zipf-hot sessions most of the conversations', () => {
    const rs = run(
      spec({ sessions: sessions({ count: 100, zipf_s: 1.2, turns: { dist: 'fixed', value: 1 } }) }),
      500_000,
    );
    const n = rs.filter((r) => r.session_id === 's0').length / rs.length;
    // P(rank 1) = 1 / sum_{r<=100} r^-1.2 = 0.2775 (about 10,000 requests: sd 0.0045)
    expect(Math.abs(n - 0.2775)).toBeLessThan(0.015);
  });

  it('puts a shared system prompt in front of every request (same leading block ids)', () => {
    const rs = run(
      spec({
        requests: 50,
        shared_prefix_tokens: 1100,
        block_tokens: 256,
        prompt_tokens: { dist: 'fixed', value: 10 },
      }),
    );
    for (const r of rs) {
      expect(r.prompt_tokens).toBe(1110);
      expect(r.prefix_blocks?.slice(0, 4)).toEqual([0, 1, 2, 3]); // floor(1100 / 256) full blocks
      expect(r.prefix_blocks?.length).toBe(5);
      expect(r.block_tokens).toBe(256);
    }
    expect(new Set(rs.map((r) => r.prefix_blocks?.[4])).size).toBe(50);
  });
});
