/**
 * The flap event: `flap: { period: 20s, down: 5s, until: 5m }` — from `at`, the model crashes at the start
 * of every period and restarts `down` later (no warm-up), the last period starting before `until` (a time
 * from the start of the run, like `at`). At most MAX_FLAP_CYCLES periods. Loads as one crash and one
 * restart per period, all of one fault.
 */
import { z } from 'zod';
import { duration } from '../values.js';
import { defineEventKind } from './kind.js';
import { RANK_MODEL } from './model-changes.js';

const MAX_FLAP_CYCLES = 10_000;

const positive = { message: 'must be more than 0' };

export const flapEvent = defineEventKind({
  kind: 'flap',
  keys: {
    flap: z
      .strictObject({
        period: duration('One crash every period.').refine((v) => v > 0, positive),
        down: duration('How long each crash lasts; less than period.').refine((v) => v > 0, positive),
        until: duration('No crash starts at or after this time (from the start of the run, like at).'),
      })
      .refine((f) => f.down < f.period, { message: 'down must be less than period', path: ['down'] })
      .optional()
      .describe(`Repeated short crashes (at most ${MAX_FLAP_CYCLES} periods).`),
  },
  changesModel: true,
  load: (e, c) => {
    const f = e.flap;
    if (f === undefined) return { events: [] };
    const events = [];
    const base = { kind: 'flap' as const, model: c.model, since_ms: c.at_ms };
    for (let k = 0; k < MAX_FLAP_CYCLES; k++) {
      const t = c.at_ms + k * f.period;
      if (t >= f.until) break;
      events.push({ ...base, at_ms: t, down: true }, { ...base, at_ms: t + f.down, down: false });
    }
    return { events };
  },
  rank: () => RANK_MODEL,
  apply: (ev, w) => {
    const i = w.indexOf(ev.model);
    if (ev.down) w.faults.crash(i, 'flap', ev.since_ms);
    else w.faults.restart(i, 'flap', ev.since_ms, 0, 1);
  },
  label: (ev) => `${ev.model}: flap ${ev.down ? 'down' : 'up'}`,
});
