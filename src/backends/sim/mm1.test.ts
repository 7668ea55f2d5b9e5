/**
 * The simulator against queueing theory: one model with one slot, Poisson arrivals (rate λ, generated
 * here) and an exponential `service` time (rate μ) is an M/M/1 queue, whose mean time in system is
 * W = 1 / (μ − λ). The estimate's standard error comes from batch means (batches long against the queue's
 * relaxation time), and the test asserts both that the error is small (so the bound means something) and
 * that the estimate is within 4 standard errors and 3% of W.
 */
import { describe, expect, it } from 'vitest';
import type { EventTarget } from '../../engine/engine.js';
import { Engine } from '../../engine/engine.js';
import { RngStreams, type SeededRng } from '../../engine/rng.js';
import type { AttemptOutcome, Backend, BackendHost } from '../backend.js';
import { SimCluster } from './cluster.js';
import { modelSpec } from './testkit.js';

class Poisson implements EventTarget {
  private id = 0;
  private readonly target: number;
  constructor(
    private readonly engine: Engine,
    private readonly backend: Backend,
    private readonly rng: SeededRng,
    private readonly meanGap: number,
    private readonly n: number,
  ) {
    this.target = engine.register(this);
    engine.schedule(this.gap(), this.target, 0, 0);
  }
  private gap(): number {
    return -this.meanGap * Math.log(1 - this.rng.next());
  }
  onEvent(): void {
    this.backend.submit({ id: this.id++, prompt_tokens: 1, output_tokens: 1 });
    if (this.id < this.n) this.engine.schedule(this.gap(), this.target, 0, 0);
  }
}

class BatchMeans implements BackendHost {
  readonly sums: Float64Array;
  constructor(
    private readonly engine: Engine,
    private readonly warmup: number,
    private readonly perBatch: number,
    batches: number,
  ) {
    this.sums = new Float64Array(batches);
  }
  now(): number {
    return this.engine.now();
  }
  complete(o: AttemptOutcome): void {
    if (o.id < this.warmup) return;
    this.sums[Math.floor((o.id - this.warmup) / this.perBatch)] += o.e2e_ms;
  }
}

/** Mean time in system and its standard error over `seeds` runs × `batches` batch means. */
function simulate(
  rho: number,
  perSeed: number,
  seeds: number,
  batches: number,
): { mean: number; se: number } {
  const means: number[] = [];
  const warmup = Math.floor(perSeed * 0.05);
  const perBatch = Math.floor((perSeed - warmup) / batches);
  for (let s = 1; s <= seeds; s++) {
    const engine = new Engine();
    const host = new BatchMeans(engine, warmup, perBatch, batches);
    const streams = new RngStreams(s);
    const spec = modelSpec({
      max_queue: 1e9,
      latency: { model: 'service', service: { dist: 'exponential', mean: 1 } },
    });
    const cluster = new SimCluster([spec], engine, host, streams);
    new Poisson(engine, cluster.backend(0), streams.get('arrivals'), 1 / rho, warmup + perBatch * batches);
    engine.run();
    for (const sum of host.sums) means.push(sum / perBatch);
  }
  const k = means.length;
  const mean = means.reduce((a, b) => a + b, 0) / k;
  const variance = means.reduce((a, b) => a + (b - mean) ** 2, 0) / (k - 1);
  return { mean, se: Math.sqrt(variance / k) };
}

describe('M/M/1 agreement', () => {
  it.each([
    // ρ, requests per seed, seeds, batches per seed, largest standard error accepted (relative)
    [0.5, 200_000, 2, 10, 0.005],
    [0.9, 600_000, 3, 10, 0.015],
  ])('ρ = %s: mean time in system within 3 percent of 1/(μ − λ)', (rho, perSeed, seeds, batches, maxSe) => {
    const w = 1 / (1 - rho);
    const { mean, se } = simulate(rho, perSeed, seeds, batches);
    expect(se / w).toBeLessThan(maxSe);
    expect(Math.abs(mean - w)).toBeLessThan(4 * se);
    expect(Math.abs(mean - w) / w).toBeLessThan(0.03);
  });
});
