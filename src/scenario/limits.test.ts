import { describe, expect, it } from 'vitest';
import { MAX_SCENARIO_BYTES } from '../core/limits.js';
import { loadScenario } from './load.js';

const MODEL = 'models: [{ id: a, latency: { ttft: 10ms, tpot: 1ms } }]';

/** [line, column, message, suggestion?] of every issue of the scenario MODEL + `lines`. */
function issues(...lines: string[]): (string | number)[][] {
  const r = loadScenario([MODEL, ...lines].join('\n'), 's.yaml');
  if (r.ok) throw new Error('expected problems');
  return r.issues.map((i) =>
    i.suggestion ? [i.line, i.column, i.message, i.suggestion] : [i.line, i.column, i.message],
  );
}

const valid = (...lines: string[]) => loadScenario([MODEL, ...lines].join('\n'), 's.yaml').ok;

describe('limits: what used to validate and then crash the run', () => {
  it('refuses an arrival rate of 0, and names the accepted range', () => {
    expect(issues('duration: 10s', 'traffic: { arrivals: { process: poisson, rate: 0/s } }')).toEqual([
      [
        3,
        48,
        'traffic.arrivals.rate: must be more than 0 (a stream with rate 0 sends nothing; remove it instead)',
      ],
    ]);
    // from_rate 0 is a ramp from nothing: fine.
    expect(valid('duration: 10s', 'traffic: { arrivals: { process: ramp, rate: 5/s, from_rate: 0 } }')).toBe(
      true,
    );
  });

  it('refuses a distribution parameter, mean or p99 past the token limit', () => {
    expect(
      issues('traffic: { requests: 10, prompt_tokens: { dist: lognormal, median: 400, p99: 1e308 } }'),
    ).toEqual([[2, 78, 'traffic.prompt_tokens.p99: must be <= 10000000, got number 1e+308']]);
    expect(issues('traffic: { requests: 10, output_tokens: { dist: exponential, mean: 1e9 } }')).toEqual([
      [2, 68, 'traffic.output_tokens.mean: must be <= 10000000, got number 1000000000'],
    ]);
    // Each parameter in range, but the tail is absurd: sigma = ln(1e7) / 2.326 = 6.93, mean = exp(sigma^2 / 2) = 2.65e10.
    expect(
      issues('traffic: { requests: 10, prompt_tokens: { dist: lognormal, median: 1, p99: 1e7 } }'),
    ).toEqual([
      [
        2,
        41,
        'traffic.prompt_tokens: lognormal has a mean of 26540000000 tokens; the mean and p99 of a distribution must be at most 10000000 tokens',
      ],
    ]);
    expect(issues('traffic: { requests: 10, output_tokens: { dist: gamma, mean: 0, cv: 1 } }')).toEqual([
      [2, 62, 'traffic.output_tokens.mean: gamma needs a mean more than 0'],
    ]);
    expect(
      issues('traffic: { requests: 10, output_tokens: { dist: pareto, scale: 0, shape: 2 } }')[0],
    ).toEqual([2, 64, 'traffic.output_tokens.scale: pareto needs a scale more than 0']);
  });

  it('refuses a session stream whose output mean is past the limit (it exhausted memory)', () => {
    expect(
      issues(
        'traffic: { requests: 100, output_tokens: { dist: exponential, mean: 1e12 }, sessions: { count: 10 } }',
      ),
    ).toEqual([[2, 69, 'traffic.output_tokens.mean: must be <= 10000000, got number 1000000000000']]);
  });

  it('refuses durations past a year, and a time distribution whose p99 is past it', () => {
    expect(issues('duration: 1e300s')).toEqual([
      [2, 11, 'duration: a duration is at most 365d (31536000000 ms), got "1e300s"'],
    ]);
    expect(valid('duration: 365d', 'traffic: { requests: 10 }')).toBe(true);
    // exponential p99 = mean * ln(100): a mean of 100 days has a p99 of 460 days.
    expect(
      loadScenario(
        'models: [{ id: a, latency: { service: { dist: exponential, mean: 100d } } }]\nduration: 1s',
        's.yaml',
      ),
    ).toMatchObject({
      ok: false,
      issues: [
        {
          line: 1,
          column: 39,
          message:
            'models[0].latency.service: exponential has a p99 of 39790000000 ms; the mean and p99 of a distribution must be at most 31536000000 ms',
        },
      ],
    });
  });

  it('refuses a batching slowdown and a latency factor past 1000', () => {
    expect(
      loadScenario(
        'models: [{ id: a, latency: { prefill_per_token: 1ms, decode_step: 10ms, slowdown: 94105 } }]\ntraffic: { requests: 100 }',
        's.yaml',
      ),
    ).toMatchObject({
      ok: false,
      issues: [
        { line: 1, column: 83, message: 'models[0].latency.slowdown: must be <= 1000, got number 94105' },
      ],
    });
    expect(issues('duration: 1s', 'events: [{ at: 0, model: a, latency_factor: 1e6 }]')).toEqual([
      [3, 45, 'events[0].latency_factor: must be <= 1000, got number 1000000'],
    ]);
  });
});

describe('limits: what a run would do', () => {
  it('refuses a rate x horizon past 10^8 requests, and says what to change', () => {
    expect(issues('duration: 365d', 'traffic: { arrivals: { rate: 10000/s } }')).toEqual([
      [
        3,
        30,
        'traffic.arrivals.rate: this stream would create about 315000000000 requests (rate 10000/s over 365d); a run creates at most 100000000: lower the rate, the duration or set `requests`',
      ],
    ]);
    // The same rate with a request count is bounded by the count.
    expect(valid('duration: 365d', 'traffic: { arrivals: { rate: 10000/s }, requests: 1000 }')).toBe(true);
  });

  it('refuses a user-set timeline interval that makes more than 100,000 buckets', () => {
    expect(issues('duration: 1h', 'timeline: { interval: 10ms }')).toEqual([
      [
        3,
        23,
        'timeline.interval: an interval of 10ms over 3600s makes 360000 timeline buckets; at most 100000',
        'use an interval of at least 36ms, or leave it out',
      ],
    ]);
    expect(valid('duration: 1h', 'timeline: { interval: 36ms }')).toBe(true);
    // Without a duration the span is the time the requests take to arrive: 1e6 at 10/s is 1e5 s.
    expect(issues('traffic: { requests: 1000000 }', 'timeline: { interval: 100ms }')[0][2]).toBe(
      'timeline.interval: an interval of 100ms over 100000s makes 1000000 timeline buckets; at most 100000',
    );
  });

  it('refuses probes so frequent that a run would schedule more than 10^8 of them', () => {
    expect(
      issues('duration: 365d', 'traffic: { requests: 10 }', 'router: { probes: { interval: 1ms } }'),
    ).toEqual([
      [
        4,
        31,
        'router.probes.interval: every 1ms over 365d is 31500000000 events; a run schedules at most 100000000',
        'use at least 316ms',
      ],
    ]);
    expect(issues('duration: 1s', 'router: { probes: { interval: 0.1ms } }')[0][2]).toBe(
      'router.probes.interval: must be at least 1ms',
    );
  });

  it('refuses a retry backoff whose last wait is past a year', () => {
    const three =
      'models: [{ id: a }, { id: b }, { id: c }]\nduration: 1s\nrouter: { max_retries: 5, retry_backoff: 1e12 }';
    // Three models allow 2 retries: the second waits 100ms x 1e12 = 1e14 ms.
    expect(loadScenario(three, 's.yaml')).toMatchObject({
      ok: false,
      issues: [
        {
          line: 3,
          column: 42,
          message:
            'router.retry_backoff: retry 2 would wait 100ms x 1000000000000^1 = 100000000000000 ms, past the 365d a run simulates',
          suggestion: 'use a retry_backoff of at most 315000000, or fewer max_retries',
        },
      ],
    });
    // With one model there is no second retry to wait for.
    expect(valid('duration: 1s', 'router: { max_retries: 5, retry_backoff: 1e12 }')).toBe(true);
  });

  it("checks each variant's numbers, at the variant", () => {
    const r = loadScenario(
      [
        MODEL,
        'duration: 10s',
        'variants:',
        '  - { name: base }',
        '  - { name: year, overrides: { duration: 300d, traffic.arrivals.rate: 1000/s } }',
      ].join('\n'),
      's.yaml',
    );
    expect(r).toMatchObject({
      ok: false,
      issues: [
        {
          line: 5,
          column: 30,
          message: expect.stringMatching(
            /^variant `year`: traffic.arrivals.rate: this stream would create about 25900000000 requests/,
          ),
        },
      ],
    });
  });
});

describe('limits: the file itself', () => {
  it('refuses a file larger than 8 MiB before parsing it', () => {
    const text = `${MODEL}\nduration: 1s\ndescription: "${'x'.repeat(MAX_SCENARIO_BYTES)}"`;
    expect(loadScenario(text, 'big.yaml')).toMatchObject({
      ok: false,
      issues: [{ line: 0, message: 'the file is 8.0 MiB; a scenario is at most 8.0 MiB' }],
    });
  });

  it('refuses nesting deeper than 64 levels, with its position and no stack trace', () => {
    // 2,000 deep overflows the YAML parser's stack; 100 deep parses but is refused by the depth walk.
    for (const depth of [2000, 100]) {
      const r = loadScenario(`a: ${'['.repeat(depth)}${']'.repeat(depth)}`, 'deep.yaml');
      expect(r).toMatchObject({
        ok: false,
        issues: [
          {
            line: 1,
            message:
              'YAML syntax: nested more than 64 levels deep (mappings and lists); a scenario needs far fewer',
          },
        ],
      });
    }
    expect(valid('duration: 1s', `x-deep: ${'['.repeat(60)}${']'.repeat(60)}`)).toBe(true);
  });
});
