/**
 * The event kinds that change one model's true state (what the backend does, not what the router
 * believes): health, latency factor, failure rate, capacity. Each needs the entry's `model`.
 */
import { z } from 'zod';
import { MAX_CONCURRENCY, MAX_FACTOR } from '../../core/limits.js';
import { fraction, healthSchema, int } from '../values.js';
import { defineEventKind, labelNumber } from './kind.js';

/** The order of one entry's events (lower first): see EventKind.rank. */
export const RANK_LEAVE = 0;
export const RANK_MODEL = 1;
export const RANK_JOIN = 2;
export const RANK_ROUTER = 3;

export const healthEvent = defineEventKind({
  kind: 'health',
  keys: { health: healthSchema.optional().describe("The model's true health from now on.") },
  changesModel: true,
  load: (e, c) => ({
    events:
      e.health === undefined
        ? []
        : [{ at_ms: c.at_ms, kind: 'health' as const, model: c.model, health: e.health }],
  }),
  rank: () => RANK_MODEL,
  apply: (ev, w) => {
    const i = w.indexOf(ev.model);
    w.models.setHealth(i, ev.health);
    w.health.trueChange(i, ev.health, w.now());
  },
  label: (ev) => `${ev.model}: ${ev.health}`,
});

export const latencyFactorEvent = defineEventKind({
  kind: 'latency_factor',
  keys: {
    latency_factor: z
      .number()
      .positive()
      .max(MAX_FACTOR)
      .optional()
      .describe(`Multiply the model latency by this (1 = normal), more than 0, at most ${MAX_FACTOR}.`),
  },
  changesModel: true,
  load: (e, c) => ({
    events:
      e.latency_factor === undefined
        ? []
        : [{ at_ms: c.at_ms, kind: 'latency_factor' as const, model: c.model, factor: e.latency_factor }],
  }),
  rank: () => RANK_MODEL,
  apply: (ev, w) => w.models.setLatencyFactor(w.indexOf(ev.model), ev.factor),
  label: (ev) => `${ev.model}: latency x${labelNumber(ev.factor)}`,
});

export const failureRateEvent = defineEventKind({
  kind: 'failure_rate',
  keys: { failure_rate: fraction('New failure rate.').optional() },
  changesModel: true,
  load: (e, c) => ({
    events:
      e.failure_rate === undefined
        ? []
        : [{ at_ms: c.at_ms, kind: 'failure_rate' as const, model: c.model, failure_rate: e.failure_rate }],
  }),
  rank: () => RANK_MODEL,
  apply: (ev, w) => w.models.setFailureRate(w.indexOf(ev.model), ev.failure_rate),
  label: (ev) => `${ev.model}: failure_rate ${labelNumber(ev.failure_rate)}`,
});

export const capacityEvent = defineEventKind({
  kind: 'capacity',
  keys: {
    max_concurrency: int(1)
      .max(MAX_CONCURRENCY)
      .optional()
      .describe(`New capacity (scale out or in), 1..${MAX_CONCURRENCY}.`),
  },
  changesModel: true,
  load: (e, c) => ({
    events:
      e.max_concurrency === undefined
        ? []
        : [{ at_ms: c.at_ms, kind: 'capacity' as const, model: c.model, max_concurrency: e.max_concurrency }],
  }),
  rank: () => RANK_MODEL,
  apply: (ev, w) => w.models.setCapacity(w.indexOf(ev.model), ev.max_concurrency),
  label: (ev) => `${ev.model}: max_concurrency ${ev.max_concurrency}`,
});
