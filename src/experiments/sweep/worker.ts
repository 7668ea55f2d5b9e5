/**
 * The worker-thread side of the pool (pool.ts): receives cells one at a time, runs each with runCell and
 * posts back its result, or the error (a UserError's problems travel as data so the main thread can
 * rethrow it as exit 2). Compiled, the pool starts this file itself; as TypeScript, through worker-boot.mjs,
 * which registers tsx first.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { UserError } from '../../core/errors.js';
import type { MetricDef } from '../../report/check-metrics.js';
import type { Cell } from '../compare/cells.js';
import { runCell } from './cell.js';

/** What the pool gives every worker at start. */
export interface WorkerInit {
  file: string;
  metrics: MetricDef[];
}

/** The pool terminates workers when the sweep is done or fails; cells are the only message. */
export type ToWorker = { cell: Cell };
export type FromWorker =
  | { ok: true; index: number; result: import('../compare/aggregate.js').CellResult; version: string }
  | {
      ok: false;
      index: number;
      message: string;
      stack?: string;
      problems?: UserError['problems'];
    };

const init = workerData as WorkerInit;
const port = parentPort!;

port.on('message', async (msg: ToWorker) => {
  const { cell } = msg;
  try {
    const out = await runCell(init.file, cell, init.metrics);
    port.postMessage({ ok: true, index: cell.index, ...out } satisfies FromWorker);
  } catch (err) {
    const e = err as Error;
    port.postMessage({
      ok: false,
      index: cell.index,
      message: e.message,
      stack: e.stack,
      ...(err instanceof UserError ? { problems: err.problems } : {}),
    } satisfies FromWorker);
  }
});
