/**
 * The event kinds that change one model's true state (what the backend does, not what the router
 * believes): health, latency factor, failure rate, capacity. Each needs the entry's `model`.
 */
import { z } from 'zod';
import { MAX_CONCURRENCY, MAX_FACTOR } from '../../core/limits.js';
import { fraction, healthSchema, int } from '../values.js';
import { defineEventKind, type EventWorld, type Fault, labelNumber } from './kind.js';

/** The order of one entry's events (lower first): see EventKind.rank. */
export const RANK_LEAVE = 0;
export const RANK_MODEL = 1;
export const RANK_JOIN = 2;
export const RANK_ROUTER = 3;

/**
 * A kind that sets one value of one model: `key` in the entry, `field` in the loaded event
 * ({ at_ms, kind, model, [field] }), `apply` to the model's index, and a label after the model's id.
 */
function modelChange<K extends string, Key extends string, F extends string, S extends z.ZodType>(d: {
  kind: K;
  key: Key;
  schema: S;
  field: F;
  apply: (i: number, v: NonNullable<z.output<S>>, w: EventWorld) => void;
  label: (v: NonNullable<z.output<S>>) => string;
  /** The fault a value starts (its name), or null. */
  fault?: (v: NonNullable<z.output<S>>) => Omit<Fault, 'model'> | null;
}) {
  type V = NonNullable<z.output<S>>;
  type E = { at_ms: number; kind: K; model: string } & { [P in F]: V };
  return defineEventKind<{ [P in Key]: S }, E>({
    kind: d.kind as E['kind'],
    keys: { [d.key]: d.schema } as { [P in Key]: S },
    changesModel: true,
    load: (e, c) => {
      const v = e[d.key];
      return {
        events: v === undefined ? [] : [{ at_ms: c.at_ms, kind: d.kind, model: c.model, [d.field]: v } as E],
      };
    },
    rank: () => RANK_MODEL,
    apply: (ev, w) => d.apply(w.indexOf(ev.model), ev[d.field] as V, w),
    label: (ev) => `${ev.model}: ${d.label(ev[d.field] as V)}`,
    fault: (ev) => {
      const f = d.fault?.(ev[d.field] as V) ?? null;
      return f === null ? null : { ...f, model: ev.model };
    },
  });
}

export const healthEvent = modelChange({
  kind: 'health',
  key: 'health',
  schema: healthSchema.optional().describe("The model's true health from now on."),
  field: 'health',
  apply: (i, h, w) => {
    w.models.setHealth(i, h);
    w.health.trueChange(i, h, w.now());
  },
  label: (h) => h,
  // A model that turns unhealthy is the simplest drill; its repair is the model's next health event.
  fault: (h) => (h === 'unhealthy' ? { name: 'unhealthy' } : null),
});

export const latencyFactorEvent = modelChange({
  kind: 'latency_factor',
  key: 'latency_factor',
  schema: z
    .number()
    .positive()
    .max(MAX_FACTOR)
    .optional()
    .describe(`Multiply the model latency by this (1 = normal), more than 0, at most ${MAX_FACTOR}.`),
  field: 'factor',
  apply: (i, f, w) => w.models.setLatencyFactor(i, f),
  label: (f) => `latency x${labelNumber(f)}`,
});

export const failureRateEvent = modelChange({
  kind: 'failure_rate',
  key: 'failure_rate',
  schema: fraction('New failure rate.').optional(),
  field: 'failure_rate',
  apply: (i, r, w) => w.models.setFailureRate(i, r),
  label: (r) => `failure_rate ${labelNumber(r)}`,
});

export const capacityEvent = modelChange({
  kind: 'capacity',
  key: 'max_concurrency',
  schema: int(1)
    .max(MAX_CONCURRENCY)
    .optional()
    .describe(`New capacity (scale out or in), 1..${MAX_CONCURRENCY}.`),
  field: 'max_concurrency',
  apply: (i, c, w) => w.models.setCapacity(i, c),
  label: (c) => `max_concurrency ${c}`,
});
