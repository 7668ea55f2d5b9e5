/** The quota event: new per-minute limits for a model; a limit left out keeps the model's own. */
import { z } from 'zod';
import { DEFAULT_QUOTA } from '../../core/model-spec.js';
import { quotaLimits } from '../values.js';
import { defineEventKind, labelNumber } from './kind.js';
import { RANK_MODEL } from './model-changes.js';

const limit = (v: number) => (Number.isFinite(v) ? labelNumber(v) : 'no limit');

export const quotaEvent = defineEventKind({
  kind: 'quota',
  keys: { quota: z.strictObject(quotaLimits).optional().describe('New quota limits.') },
  changesModel: true,
  load: (e, c) => {
    if (e.quota === undefined) return { events: [] };
    const q = c.models.find((m) => m.id === c.model)?.quota ?? DEFAULT_QUOTA;
    return {
      events: [
        {
          at_ms: c.at_ms,
          kind: 'quota' as const,
          model: c.model,
          tokens_per_minute: e.quota.tokens_per_minute ?? q.tokens_per_minute,
          requests_per_minute: e.quota.requests_per_minute ?? q.requests_per_minute,
        },
      ],
    };
  },
  rank: () => RANK_MODEL,
  apply: (ev, w) => w.models.setQuota(w.indexOf(ev.model), ev.tokens_per_minute, ev.requests_per_minute),
  label: (ev) =>
    `${ev.model}: quota ${limit(ev.tokens_per_minute)} tokens/min, ${limit(ev.requests_per_minute)} requests/min`,
});
