/**
 * The crash event: `crash: { restart_after, warmup, warmup_slowdown }` (or `crash: true`) — the model's
 * process dies: every attempt it holds fails at once, it refuses attempts and fails probes until it
 * restarts `restart_after` later (never, without it) with empty caches, running `warmup_slowdown` times
 * slower for `warmup`. Loads as two events of one fault: the crash, and the restart when there is one.
 */
import { z } from 'zod';
import { MAX_FACTOR } from '../../core/limits.js';
import { duration } from '../values.js';
import { defineEventKind, labelNumber } from './kind.js';
import { RANK_MODEL } from './model-changes.js';

/** Service times during a warm-up run this many times longer, unless the event says otherwise. */
const DEFAULT_WARMUP_SLOWDOWN = 2;

const crashSpec = z.strictObject({
  restart_after: duration('The model restarts this long after the crash; absent = it stays down.')
    .refine((v) => v > 0, { message: 'must be more than 0' })
    .optional(),
  warmup: duration('After the restart, it runs slower for this long. Default 0s.').optional(),
  warmup_slowdown: z
    .number()
    .min(1)
    .max(MAX_FACTOR)
    .optional()
    .describe(
      `During the warm-up every service time is this many times longer, 1..${MAX_FACTOR}. Default ${DEFAULT_WARMUP_SLOWDOWN}.`,
    ),
});

export const crashEvent = defineEventKind({
  kind: 'crash',
  keys: {
    crash: z
      .union([z.literal(true), crashSpec])
      .optional()
      .describe(
        'The model crashes: attempts in service or queued fail at once, it refuses work until it restarts (with empty caches).',
      ),
  },
  changesModel: true,
  load: (e, c) => {
    if (e.crash === undefined) return { events: [] };
    const spec = e.crash === true ? {} : e.crash;
    const base = {
      kind: 'crash' as const,
      model: c.model,
      since_ms: c.at_ms,
      warmup_ms: spec.warmup ?? 0,
      slowdown: spec.warmup_slowdown ?? DEFAULT_WARMUP_SLOWDOWN,
    };
    const events = [{ ...base, at_ms: c.at_ms, down: true }];
    if (spec.restart_after !== undefined)
      events.push({ ...base, at_ms: c.at_ms + spec.restart_after, down: false });
    return { events };
  },
  rank: () => RANK_MODEL,
  apply: (ev, w) => {
    const i = w.indexOf(ev.model);
    if (ev.down) w.faults.crash(i, 'crash', ev.since_ms);
    else w.faults.restart(i, 'crash', ev.since_ms, ev.warmup_ms, ev.slowdown);
  },
  label: (ev) =>
    ev.down
      ? `${ev.model}: crash`
      : `${ev.model}: restart${ev.warmup_ms > 0 ? ` (warm-up ${labelNumber(ev.warmup_ms / 1000)}s)` : ''}`,
});
