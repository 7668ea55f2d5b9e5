/**
 * The A/B split event: `ab_split: 0.2` sets router.ab_test's split; `ab_split: { to, over, steps, from }`
 * is a canary ramp, loaded as `steps` equal steps ending at `at + over` (`from` defaults to the split in
 * force, so ramps chain).
 */
import { z } from 'zod';
import { fraction, int, positiveDuration } from '../values.js';
import { defineEventKind, labelNumber } from './kind.js';
import { RANK_ROUTER } from './model-changes.js';

/** Steps of a ramp when `steps` is not given (kept with its kind, as each kind is one file). */
const DEFAULT_AB_RAMP_STEPS = 10;
/** Each step is one timeline event: a ramp is a handful of them, not a stream. */
const MAX_RAMP_STEPS = 10_000;

const abSplitRamp = z
  .strictObject({
    to: fraction('The split reached.'),
    over: positiveDuration('Time the ramp takes.'),
    steps: int(1)
      .max(MAX_RAMP_STEPS)
      .optional()
      .describe(`Number of equal steps, 1..${MAX_RAMP_STEPS}. Default 10.`),
    from: fraction('The split at the start. Default: the current split.').optional(),
  })
  .describe('A canary ramp: the A/B split moves in steps.');

export const abSplitEvent = defineEventKind({
  kind: 'ab_split',
  keys: {
    ab_split: z
      .union([fraction('New A/B split.'), abSplitRamp])
      .optional()
      .describe('New A/B split, or a ramp.'),
  },
  changesModel: false,
  load: (e, c) => {
    const s = e.ab_split;
    if (s === undefined) return { events: [] };
    if (typeof s === 'number')
      return { events: [{ at_ms: c.at_ms, kind: 'ab_split' as const, split: s }], split: s };
    const { to, over, steps = DEFAULT_AB_RAMP_STEPS, from = c.split } = s;
    const events = [];
    for (let k = 1; k <= steps; k++) {
      events.push({
        at_ms: c.at_ms + (over * k) / steps,
        kind: 'ab_split' as const,
        split: from + ((to - from) * k) / steps,
      });
    }
    return { events, split: to };
  },
  rank: () => RANK_ROUTER,
  apply: (ev, w) => {
    const ab = w.router.getConfig().ab_test;
    if (ab === null)
      throw new Error('Timeline: an ab_split event needs router.ab_test (the loader checks this)');
    w.router.setConfig({ ab_test: { ...ab, split: ev.split } });
  },
  label: (ev) => `ab_test split ${labelNumber(ev.split)}`,
});
