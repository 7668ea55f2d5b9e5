/**
 * The metrics_stale event: `metrics_stale: 60s` — what the router sees of the model's load, cache hit rate
 * and quota freezes at its value now for that long (a stalled metrics endpoint); the model itself keeps
 * working, and per-request prefix matching stays live. Loads as two events of one fault.
 */
import { duration } from '../values.js';
import { defineEventKind, labelNumber } from './kind.js';
import { RANK_MODEL } from './model-changes.js';

export const metricsStaleEvent = defineEventKind({
  kind: 'metrics_stale',
  keys: {
    metrics_stale: duration("The router's view of this model's load, cache and quota freezes this long.")
      .refine((v) => v > 0, { message: 'must be more than 0' })
      .optional(),
  },
  changesModel: true,
  load: (e, c) => {
    if (e.metrics_stale === undefined) return { events: [] };
    const base = {
      kind: 'metrics_stale' as const,
      model: c.model,
      since_ms: c.at_ms,
      for_ms: e.metrics_stale,
    };
    return {
      events: [
        { ...base, at_ms: c.at_ms, on: true },
        { ...base, at_ms: c.at_ms + e.metrics_stale, on: false },
      ],
    };
  },
  rank: () => RANK_MODEL,
  apply: (ev, w) => w.faults.staleMetrics(w.indexOf(ev.model), ev.on, ev.since_ms),
  label: (ev) =>
    ev.on ? `${ev.model}: metrics stale ${labelNumber(ev.for_ms / 1000)}s` : `${ev.model}: metrics fresh`,
});
