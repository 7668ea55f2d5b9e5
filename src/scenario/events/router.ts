/** The router event: `router: { ... }` switches router settings at a time (any key of `router:`). */
import { z } from 'zod';
import { optionalShape, routingShape, toRoutingChanges } from '../routing.js';
import { defineEventKind } from './kind.js';
import { RANK_ROUTER } from './model-changes.js';

export const routerEvent = defineEventKind({
  kind: 'router',
  keys: {
    router: z
      .strictObject(optionalShape(routingShape()))
      .optional()
      .describe('Router settings switched at this time.'),
  },
  changesModel: false,
  load: (e, c) => ({
    events:
      e.router === undefined
        ? []
        : [{ at_ms: c.at_ms, kind: 'router' as const, changes: toRoutingChanges(e.router) }],
  }),
  rank: () => RANK_ROUTER,
  apply: (ev, w) => w.router.setConfig(ev.changes),
  label: (ev) =>
    `router: ${Object.entries(ev.changes)
      .map(([k, v]) => `${k}=${typeof v === 'object' ? JSON.stringify(v) : String(v)}`)
      .join(', ')}`,
});
