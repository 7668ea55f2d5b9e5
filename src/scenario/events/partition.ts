/**
 * The partition event: `partition: { replicas: [0, 1], for: 30s }` — those router replicas
 * (`router.replicas`, numbered from 0) cannot reach the model: each attempt they send it fails at once
 * as a connection failure (their retries, fallback and own outlier detection react), while the other
 * replicas reach it as before. It loads as two events, the cut at `at` and the heal at `at + for`;
 * without `for` the partition lasts to the end of the run. Attempts the model already accepted finish.
 */
import { z } from 'zod';
import { MAX_REPLICAS } from '../../core/limits.js';
import { int, positiveDuration } from '../values.js';
import { defineEventKind } from './kind.js';
import { RANK_MODEL } from './model-changes.js';

export const partitionEvent = defineEventKind({
  kind: 'partition',
  keys: {
    partition: z
      .strictObject({
        replicas: z
          .array(
            int(0)
              .max(MAX_REPLICAS - 1)
              .describe('A router replica, numbered from 0 (below router.replicas.count).'),
          )
          .min(1)
          .describe('The router replicas cut off the model.'),
        for: positiveDuration('How long the partition lasts. Default: to the end of the run.').optional(),
      })
      .optional()
      .describe(
        "Router replicas that cannot reach the model: their attempts to it fail fast (connection failure); the others' reach it.",
      ),
  },
  changesModel: true,
  load: (e, c) => {
    const p = e.partition;
    if (p === undefined) return { events: [] };
    const replicas = [...new Set(p.replicas)].sort((a, b) => a - b);
    const ev = (at_ms: number, cut: boolean) => ({
      at_ms,
      kind: 'partition' as const,
      model: c.model,
      replicas,
      cut,
    });
    return {
      events: p.for === undefined ? [ev(c.at_ms, true)] : [ev(c.at_ms, true), ev(c.at_ms + p.for, false)],
    };
  },
  rank: () => RANK_MODEL,
  apply: (ev, w) => w.replicas.partition(w.indexOf(ev.model), ev.replicas, ev.cut),
  // Scored as a drill from the cut to the heal (the health replica 0 shows is the detection).
  fault: (ev) => (ev.cut ? { name: 'partition', model: ev.model } : null),
  label: (ev) =>
    `${ev.model}: ${ev.cut ? 'partitioned from' : 'reachable again from'} replicas ${ev.replicas.join(', ')}`,
});
