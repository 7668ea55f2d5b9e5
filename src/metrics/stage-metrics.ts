/**
 * Per-stage measurements of traffic sent in stages (an inference-perf load): for each stage, the requests
 * sent in it, how they ended, and the latency of those that completed, as inference-perf reports them
 * (successful requests only, from arrival). Stages are created on first use, so a run without stages
 * holds none.
 */
import { Histogram } from './histogram.js';

export interface StageMetrics {
  /** Requests that arrived in the stage. */
  sent: number;
  completed: number;
  /** Ended in error or timeout (the client's timeout included). */
  failed: number;
  /** Rejected by the router (no eligible model). */
  rejected: number;
  ttft: Histogram;
  e2e: Histogram;
  /** Time per output token of completed requests with more than one output token (the ITL mean). */
  tpot: Histogram;
}

export class StageTable {
  readonly stages: StageMetrics[] = [];

  /** Stage `i`, created (with every stage before it) when first seen. */
  at(i: number): StageMetrics {
    while (this.stages.length <= i) {
      this.stages.push({
        sent: 0,
        completed: 0,
        failed: 0,
        rejected: 0,
        ttft: new Histogram(),
        e2e: new Histogram(),
        tpot: new Histogram(),
      });
    }
    return this.stages[i];
  }
}
