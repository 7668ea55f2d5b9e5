import { describe, expect, it } from 'vitest';
import { defaultModelSpec } from '../../core/model-spec.js';
import {
  applyEvent,
  eventLabel,
  eventSchema,
  loadEvents,
  MODEL_CHANGE_KEYS,
  ROUTER_CHANGE_KEYS,
} from './index.js';
import type { EventWorld } from './kind.js';

const models = [
  defaultModelSpec('a', { quota: { tokens_per_minute: 1000, requests_per_minute: 10, initial_used: 0 } }),
];
const parse = (entries: unknown[]) => entries.map((e) => eventSchema.parse(e));

describe('timeline event kinds', () => {
  it('derives the entry keys from the kinds, in schema order', () => {
    expect(MODEL_CHANGE_KEYS).toEqual([
      'health',
      'latency_factor',
      'failure_rate',
      'max_concurrency',
      'quota',
      'crash',
      'hang',
      'flap',
      'metrics_stale',
      'add',
      'remove',
      'partition',
    ]);
    expect(ROUTER_CHANGE_KEYS).toEqual(['router', 'ab_split']);
    expect(Object.keys(eventSchema.shape)).toEqual([
      'at',
      'model',
      ...MODEL_CHANGE_KEYS.slice(0, 9),
      'router',
      'add',
      'remove',
      'ab_split',
      'partition',
      'note',
    ]);
  });

  it('splits an entry into one event per change: a removal first, an addition after the model changes', () => {
    const out = loadEvents(
      parse([
        {
          at: '2s',
          model: 'a',
          add: true,
          health: 'degraded',
          quota: { tokens_per_minute: 5 },
          router: { max_retries: 1 },
        },
        { at: '1s', model: 'a', remove: true, latency_factor: 2 },
      ]),
      0.5,
      models,
    );
    expect(out.map((e) => `${e.at_ms} ${e.kind}`)).toEqual([
      '1000 presence',
      '1000 latency_factor',
      '2000 health',
      '2000 quota',
      '2000 presence',
      '2000 router',
    ]);
    expect(out[0]).toEqual({ at_ms: 1000, kind: 'presence', model: 'a', present: false });
    // A limit left out keeps the model's own.
    expect(out[3]).toEqual({
      at_ms: 2000,
      kind: 'quota',
      model: 'a',
      tokens_per_minute: 5,
      requests_per_minute: 10,
    });
    expect(out[5]).toEqual({ at_ms: 2000, kind: 'router', changes: { max_retries: 1 } });
  });

  it('expands an ab_split ramp into equal steps that start from the split in force', () => {
    const out = loadEvents(
      parse([
        { at: 0, ab_split: 0.2 },
        { at: '10s', ab_split: { to: 0.8, over: '4s', steps: 3 } },
      ]),
      0.5,
      models,
    );
    expect(out.map((e) => [e.at_ms, e.kind === 'ab_split' ? Number(e.split.toFixed(6)) : null])).toEqual([
      [0, 0.2],
      [10_000 + 4000 / 3, 0.4],
      [10_000 + 8000 / 3, 0.6],
      [14_000, 0.8],
    ]);
  });

  it('labels each kind for the charts', () => {
    const out = loadEvents(
      parse([
        { at: 0, model: 'a', failure_rate: 0.1, max_concurrency: 4, quota: { requests_per_minute: 3 } },
        { at: 1, ab_split: 0.30000000000000004 },
      ]),
      0.5,
      [defaultModelSpec('a')],
    );
    expect(out.map(eventLabel)).toEqual([
      'a: failure_rate 0.1',
      'a: max_concurrency 4',
      'a: quota no limit tokens/min, 3 requests/min',
      'ab_test split 0.3',
    ]);
  });

  it('applies each kind to the world it changes', () => {
    const calls: string[] = [];
    let config = { ab_test: { model_a: 'a', model_b: 'b', split: 0.5 } };
    const world = {
      now: () => 7,
      indexOf: (id: string) => (id === 'a' ? 0 : -1),
      models: {
        setHealth: (i: number, h: string) => calls.push(`health ${i} ${h}`),
        setLatencyFactor: (i: number, f: number) => calls.push(`latency ${i} ${f}`),
        setFailureRate: (i: number, r: number) => calls.push(`failure ${i} ${r}`),
        setCapacity: (i: number, c: number) => calls.push(`capacity ${i} ${c}`),
        setQuota: (i: number, t: number, r: number) => calls.push(`quota ${i} ${t} ${r}`),
      },
      health: { trueChange: (i: number, h: string, now: number) => calls.push(`true ${i} ${h} @${now}`) },
      router: {
        getConfig: () => config,
        setConfig: (c: typeof config) => {
          config = { ...config, ...c };
          calls.push(`router ${JSON.stringify(c)}`);
        },
      },
      presence: { set: (i: number, p: boolean, now: number) => calls.push(`presence ${i} ${p} @${now}`) },
    } as unknown as EventWorld;
    const events = loadEvents(
      parse([
        { at: 0, model: 'a', health: 'unhealthy', remove: true },
        { at: 1, ab_split: 0.9 },
      ]),
      0.5,
      models,
    );
    for (const e of events) applyEvent(e, world);
    expect(calls).toEqual([
      'presence 0 false @7',
      'health 0 unhealthy',
      'true 0 unhealthy @7',
      'router {"ab_test":{"model_a":"a","model_b":"b","split":0.9}}',
    ]);
  });

  it('loads each fault as its start and end events, in time order, labelled for the charts', () => {
    const a = [defaultModelSpec('a')];
    const out = loadEvents(
      parse([
        { at: '1s', model: 'a', crash: { restart_after: '30s', warmup: '20s' } },
        { at: '2s', model: 'a', hang: '5s' },
        { at: '3s', model: 'a', metrics_stale: '1m' },
        { at: '4s', model: 'a', crash: true },
      ]),
      0.5,
      a,
    );
    expect(out.map((e) => [e.at_ms, eventLabel(e)])).toEqual([
      [1000, 'a: crash'],
      [2000, 'a: hang 5s'],
      [3000, 'a: metrics stale 60s'],
      [4000, 'a: crash'],
      [7000, 'a: hang over'],
      [31_000, 'a: restart (warm-up 20s)'],
      [63_000, 'a: metrics fresh'],
    ]);
    // until is a time of the run: no crash starts at 41 s.
    const flap = loadEvents(
      parse([{ at: '1s', model: 'a', flap: { period: '20s', down: '5s', until: '41s' } }]),
      0.5,
      a,
    );
    expect(flap.map((e) => [e.at_ms, eventLabel(e)])).toEqual([
      [1000, 'a: flap down'],
      [6000, 'a: flap up'],
      [21_000, 'a: flap down'],
      [26_000, 'a: flap up'],
    ]);
  });

  it('refuses a flap whose crashes last the whole period, and a zero hang', () => {
    const bad = eventSchema.safeParse({ at: 0, model: 'a', flap: { period: '5s', down: '5s', until: '1m' } });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]?.message).toBe('down must be less than period');
    expect(eventSchema.safeParse({ at: 0, model: 'a', hang: 0 }).success).toBe(false);
  });
});
