/** The `router.replicas` key as users write it (run/replicas.ts runs it; defaults in defaults.ts). */
import { z } from 'zod';
import { MAX_REPLICAS } from '../core/limits.js';
import { int } from './values.js';

export const replicasSchema = z
  .strictObject({
    count: int(1)
      .max(MAX_REPLICAS)
      .optional()
      .describe(`Router instances side by side, each with its own state, 1..${MAX_REPLICAS}. Default 1.`),
    split: z
      .enum(['random', 'round_robin', 'session_hash'])
      .optional()
      .describe(
        'How arrivals are shared among replicas: random, round_robin, or session_hash (a session always reaches the same replica; requests without a session go round-robin). Default round_robin.',
      ),
    view: z
      .enum(['local', 'shared'])
      .optional()
      .describe(
        "What load a replica sees: local = only the attempts it sent itself (plus the stale global snapshot with signals.refresh); shared = the backends' true load. Default local.",
      ),
  })
  .optional()
  .describe(
    'Several router replicas (gateway instances) side by side, each with its own affinity, latency estimates, outlier detection and round-robin position.',
  );
