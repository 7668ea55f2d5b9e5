/**
 * The hang event: `hang: 45s` — the model keeps accepting attempts but makes no progress for that long
 * (attempts already running stall too) and fails its probes; only timeouts, probes and outlier detection
 * can notice. Loads as two events of one fault: the hang and its end.
 */
import { duration } from '../values.js';
import { defineEventKind, labelNumber } from './kind.js';
import { RANK_MODEL } from './model-changes.js';

export const hangEvent = defineEventKind({
  kind: 'hang',
  keys: {
    hang: duration('The model hangs this long: it accepts attempts, produces no tokens, fails probes.')
      .refine((v) => v > 0, { message: 'must be more than 0' })
      .optional(),
  },
  changesModel: true,
  load: (e, c) => {
    if (e.hang === undefined) return { events: [] };
    const base = { kind: 'hang' as const, model: c.model, since_ms: c.at_ms, for_ms: e.hang };
    return {
      events: [
        { ...base, at_ms: c.at_ms, on: true },
        { ...base, at_ms: c.at_ms + e.hang, on: false },
      ],
    };
  },
  rank: () => RANK_MODEL,
  apply: (ev, w) => w.faults.hang(w.indexOf(ev.model), ev.on, ev.since_ms),
  label: (ev) => (ev.on ? `${ev.model}: hang ${labelNumber(ev.for_ms / 1000)}s` : `${ev.model}: hang over`),
});
