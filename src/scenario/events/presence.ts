/**
 * The presence event: `add: true` or `remove: true` — the model joins or leaves the router's pool. Work
 * already sent to a removed model finishes. A removal applies before the entry's other changes, an
 * addition after them.
 */
import { z } from 'zod';
import { defineEventKind } from './kind.js';
import { RANK_JOIN, RANK_LEAVE } from './model-changes.js';

export const presenceEvent = defineEventKind({
  kind: 'presence',
  keys: {
    add: z
      .literal(true)
      .optional()
      .describe('The model joins the router pool (after `initially: absent` or a `remove`).'),
    remove: z
      .literal(true)
      .optional()
      .describe('The model leaves the router pool: no new attempts; attempts already sent finish.'),
  },
  changesModel: true,
  load: (e, c) => {
    const present = e.add ? true : e.remove ? false : null;
    if (present === null) return { events: [] };
    return { events: [{ at_ms: c.at_ms, kind: 'presence' as const, model: c.model, present }] };
  },
  rank: (ev) => (ev.present ? RANK_JOIN : RANK_LEAVE),
  apply: (ev, w) => w.presence.set(w.indexOf(ev.model), ev.present, w.now()),
  label: (ev) => `${ev.model}: ${ev.present ? 'added' : 'removed'}`,
});
