/**
 * Runs cells on worker threads (node:worker_threads), each worker taking the next cell when it finishes
 * one, and returns the results sorted by cell index: the output does not depend on the number of workers
 * or on the order in which cells finish. `workers: N` means this thread plus N - 1 worker threads, all
 * running the same code (cell.ts); with one worker (or one cell) no thread is started. The first failing cell stops the pool; a UserError from a worker is rethrown
 * as a UserError (exit 2), anything else as an Error carrying the worker's stack.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { UserError } from '../../core/errors.js';
import type { MetricDef } from '../../report/check-metrics.js';
import type { CellResult } from '../compare/aggregate.js';
import type { Cell } from '../compare/cells.js';
import { runCell } from './cell.js';
import type { FromWorker, ToWorker, WorkerInit } from './worker.js';

export interface PoolOptions {
  /** Threads running cells, this one included (default os.availableParallelism()); 1 starts none. */
  workers?: number;
  /** Called after each cell, in completion order (not cell order). */
  onCell?: (result: CellResult, done: number, total: number) => void;
}

/** Results in cell-index order and the version that produced them (the same in every cell). */
export interface PoolResult {
  results: CellResult[];
  version: string;
}

/** The default worker count: every core the process may use. */
export function defaultWorkers(): number {
  return availableParallelism();
}

/**
 * Runs every cell of `cells` (any subset of a grid, e.g. one shard) against the scenario `file`, reducing
 * each report over `metrics`. Throws RangeError for a worker count below 1.
 */
export async function runCellsParallel(
  file: string,
  cells: readonly Cell[],
  metrics: readonly MetricDef[],
  opts: PoolOptions = {},
): Promise<PoolResult> {
  const workers = opts.workers ?? defaultWorkers();
  if (!Number.isInteger(workers) || workers < 1)
    throw new RangeError(`workers must be a positive integer, got ${workers}`);
  const results: CellResult[] = [];
  const versions = new Set<string>();
  const record = (r: CellResult, version: string) => {
    results.push(r);
    versions.add(version);
    opts.onCell?.(r, results.length, cells.length);
  };
  if (workers === 1 || cells.length <= 1) {
    for (const cell of cells) {
      const out = await runCell(file, cell, metrics);
      record(out.result, out.version);
    }
  } else {
    await runOnThreads(file, cells, metrics, Math.min(workers, cells.length), record);
  }
  if (versions.size > 1) throw new Error(`cells ran under different versions: ${[...versions].join(', ')}`);
  results.sort((a, b) => a.index - b.index);
  return { results, version: [...versions][0] ?? '' };
}

/**
 * The worker's entry. Compiled (dist/), this file is .js and the worker loads worker.js directly; run as
 * TypeScript (vitest, bin/routesim.js on sources newer than dist/), it is .ts and the worker goes through
 * worker-boot.mjs, which registers tsx first: a worker always runs the same code as the main thread.
 */
const BOOT = import.meta.url.endsWith('.ts')
  ? new URL('./worker-boot.mjs', import.meta.url)
  : new URL('./worker.js', import.meta.url);

/** Cells handed to a worker ahead of time, so it never waits for the main thread to feed it. */
const PREFETCH = 2;

/**
 * The main thread plus n - 1 worker threads, all taking cells from one queue. The main thread works
 * too, so the time a worker needs to start (loading the code: about 1 s through tsx) is not lost; a
 * worker holds PREFETCH cells so that the main thread, busy with a cell, never starves it.
 */
function runOnThreads(
  file: string,
  cells: readonly Cell[],
  metrics: readonly MetricDef[],
  n: number,
  record: (r: CellResult, version: string) => void,
): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const init: WorkerInit = { file, metrics: [...metrics] };
    const pool: Worker[] = [];
    let next = 0;
    let finished = 0;
    let settled = false;
    const stopAll = () => {
      for (const w of pool) void w.terminate();
    };
    const fail = (err: Error) => {
      if (settled) return;
      settled = true;
      stopAll();
      reject(err);
    };
    const done = () => {
      if (++finished === cells.length && !settled) {
        settled = true;
        stopAll();
        resolve();
      }
    };
    const feed = (w: Worker) => {
      if (next < cells.length) w.postMessage({ cell: cells[next++] } satisfies ToWorker);
    };
    for (let i = 0; i < n - 1; i++) {
      const w = new Worker(BOOT, { workerData: init });
      pool.push(w);
      w.on('message', (msg: FromWorker) => {
        if (settled) return;
        if (!msg.ok) {
          if (msg.problems) fail(new UserError(msg.message, msg.problems));
          else {
            const e = new Error(`cell ${msg.index}: ${msg.message}`);
            e.stack = msg.stack ?? e.stack;
            fail(e);
          }
          return;
        }
        record(msg.result, msg.version);
        feed(w);
        done();
      });
      w.on('error', (err) => fail(err));
      w.on('exit', (code) => {
        if (!settled && code !== 0) fail(new Error(`a sweep worker exited with code ${code} before the end`));
      });
      for (let p = 0; p < PREFETCH; p++) feed(w);
    }
    // The main thread's share: one cell at a time, yielding between cells so worker messages get in.
    void (async () => {
      while (!settled && next < cells.length) {
        const cell = cells[next++];
        try {
          const out = await runCell(file, cell, metrics);
          if (settled) return;
          record(out.result, out.version);
          done();
        } catch (err) {
          fail(err as Error);
          return;
        }
        await new Promise<void>((r) => setImmediate(r));
      }
    })();
  });
}
