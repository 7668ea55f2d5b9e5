import { describe, expect, it } from 'vitest';
import { loadScenario } from './load.js';
import { applyOverrides, readScalar } from './overrides.js';

const data = {
  router: { strategy: 'least_loaded' },
  models: [{ id: 'llama-70b' }, { id: 'qwen2.5-72b', max_concurrency: 4 }],
  traffic: { streams: [{ tenant: 'chat' }] },
};

describe('applyOverrides', () => {
  it('sets dotted paths, addressing list entries by id (dots allowed), tenant or index', () => {
    const r = applyOverrides(data, {
      'router.strategy': 'cache_aware',
      'models.qwen2.5-72b.max_concurrency': '8',
      'models.0.weight': 2,
      'traffic.streams.chat.requests': '100',
      'router.probes.interval': '2s',
    });
    expect(r.problems).toEqual([]);
    expect(r.applied.map((a) => a.path)).toEqual([
      ['router', 'strategy'],
      ['models', 1, 'max_concurrency'],
      ['models', 0, 'weight'],
      ['traffic', 'streams', 0, 'requests'],
      ['router', 'probes', 'interval'],
    ]);
    expect(r.data).toEqual({
      router: { strategy: 'cache_aware', probes: { interval: '2s' } },
      models: [
        { id: 'llama-70b', weight: 2 },
        { id: 'qwen2.5-72b', max_concurrency: 8 },
      ],
      traffic: { streams: [{ tenant: 'chat', requests: 100 }] },
    });
    expect(data.models[1].max_concurrency).toBe(4); // the input is not changed
  });

  it('names what it could not find, with a suggestion', () => {
    const r = applyOverrides(data, {
      'models.llama-7b.max_queue': 1,
      'router.strategy.x': 1,
      'a..b': 1,
      'models[1].max_queue': 1,
      models: 3,
    });
    expect(r.problems).toEqual([
      {
        key: 'models.llama-7b.max_queue',
        message: 'no model `llama-7b` in models',
        suggestion: 'did you mean `llama-70b`?',
      },
      { key: 'router.strategy.x', message: '`router.strategy` is not a mapping, so it has no `x`' },
      { key: 'a..b', message: 'an override key is a dotted path like router.strategy' },
      {
        key: 'models[1].max_queue',
        message: 'a list entry is named with a dot, by its id or its index',
        suggestion: 'did you mean `models.1.max_queue`?',
      },
    ]);
    expect(r.applied.map((a) => a.key)).toEqual(['models']);
  });

  it("drops the file's strategy_options when the strategy is overridden to another (they are the old one's)", () => {
    const file = { router: { strategy: 'prefix_aware', strategy_options: { max_imbalance: 0.5 } } };
    const to = (o: Record<string, unknown>) => (applyOverrides(file, o).data as typeof file).router;
    expect(to({ 'router.strategy': 'least_loaded' })).toEqual({ strategy: 'least_loaded' });
    // The same strategy, or options given with it, keep or replace them as written.
    expect(to({ 'router.strategy': 'prefix_aware' })).toEqual(file.router);
    expect(to({ 'router.strategy': 'cache_aware', 'router.strategy_options.cache_weight': 0.3 })).toEqual({
      strategy: 'cache_aware',
      strategy_options: { max_imbalance: 0.5, cache_weight: 0.3 },
    });
    expect(file.router.strategy_options).toEqual({ max_imbalance: 0.5 }); // the input is not changed
  });

  it('reads string values as YAML scalars, as a command line would', () => {
    expect(readScalar('8')).toBe(8);
    expect(readScalar('0.5')).toBe(0.5);
    expect(readScalar('true')).toBe(true);
    expect(readScalar('30s')).toBe('30s');
    expect(readScalar('[a, b]')).toEqual(['a', 'b']);
    expect(readScalar('{ x: 1 }')).toEqual({ x: 1 });
    expect(readScalar('')).toBe('');
    expect(readScalar('a: b: c')).toBe('a: b: c');
  });
});

describe('overrides through the loader', () => {
  const yaml = 'duration: 1m\nmodels:\n  - id: a\n  - id: b\n';

  it('applies overrides and the seed option', () => {
    const r = loadScenario(yaml, '', {
      overrides: {
        'router.strategy': 'round_robin',
        'models.b.max_concurrency': '3',
        'traffic.arrivals.rate': '120/m',
      },
      seed: 99,
    });
    if (!r.ok) throw new Error(JSON.stringify(r.issues));
    expect(r.scenario.router.strategy).toBe('round_robin');
    expect(r.scenario.models[1].max_concurrency).toBe(3);
    expect(r.scenario.seed).toBe(99);
    expect(r.scenario.traffic.kind === 'synthetic' && r.scenario.traffic.arrivals.rate).toBe(2);
  });

  it('validates overridden values like the file, and says which override', () => {
    const r = loadScenario(yaml, 's.yaml', {
      overrides: { 'router.stratgy': 'x', 'models.c.weight': 1, 'router.max_retries': '-1' },
    });
    expect(!r.ok && r.issues.map((i) => [i.line, i.message, i.suggestion])).toEqual([
      [0, 'override `models.c.weight`: no model `c` in models', 'one of: a, b'],
      [0, 'override `router.max_retries`: must be >= 0, got number -1', undefined],
      [0, 'override `router.stratgy`: unknown key `stratgy`', 'did you mean `strategy`?'],
    ]);
  });

  it('checks variant overrides and points at the variant', () => {
    const r = loadScenario(
      `${yaml}variants:\n  - name: fast\n    overrides: { router.strategy: fastest, models.a.max_queue: 3 }\n  - name: gone\n    overrides: { models.z.weight: 1 }\n`,
      's.yaml',
    );
    expect(!r.ok && r.issues.map((i) => [i.line, i.column, i.message])).toEqual([
      [
        7,
        18,
        expect.stringMatching(
          /^variant `fast`: override `router.strategy`: expected one of round_robin, .*, got string "fastest"$/,
        ),
      ],
      [9, 18, 'variant `gone`: override `models.z.weight`: no model `z` in models'],
    ]);
  });
});
