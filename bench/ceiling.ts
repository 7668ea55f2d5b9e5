/**
 * A diagnostic, not part of `npm run bench`: how fast could the 1M-request simulation of
 * bench/simulation.bench.ts (benchScenario) be if two of its parts cost nothing? It answers whether
 * moving them to a second thread (issue 15's structural option: one thread generating the traffic, one
 * folding the records) could bring `routesim run` of the 1M scenario within 3× the bare heap loop.
 *
 * Modes (the first argument; a comma-separated set):
 * - `full`: simulate() as `routesim run` does (report building included, files not written).
 * - `norec`: the recorder calls of every request (RunMetrics arrived, routed, attemptOk,
 *   requestCompleted, requestFinished, attempted, cacheTokens) do nothing: the most a record-folding
 *   thread could take off the simulating thread (it would still have to hand each record over).
 * - `pregen`: the synthetic traffic is generated before the clock starts (its time subtracted) and read
 *   back from typed arrays: the most a traffic thread could take off.
 * Prints the median of REPEATS runs in this process, in ms. The reports these modes build are wrong on
 * purpose (nothing recorded): only the time means anything.
 *
 * `node --import tsx bench/ceiling.ts full` (then `norec`, `pregen`, `norec,pregen`).
 */
import { performance } from 'node:perf_hooks';
import { RunMetrics } from '../src/metrics/run-metrics.js';
import { simulate } from '../src/run/run.js';
import type { ArrivalRecord } from '../src/traffic/source.js';
import { SyntheticSource } from '../src/traffic/synthetic/generator.js';
import { benchScenario } from './simulation.bench.js';

const REQUESTS = 1_000_000;
const REPEATS = 5;
const modes = new Set((process.argv[2] ?? 'full').split(','));
const known = new Set(['full', 'norec', 'pregen']);
for (const m of modes) if (!known.has(m)) throw new Error(`ceiling: unknown mode ${m} (full, norec, pregen)`);

/** Time spent generating traffic up front in the current run (pregen), subtracted from its time. */
let generationMs = 0;

const RECORDER_CALLS = [
  'arrived',
  'routed',
  'attemptOk',
  'requestCompleted',
  'requestFinished',
  'attempted',
  'cacheTokens',
] as const;

if (modes.has('norec')) {
  const proto = RunMetrics.prototype as unknown as Record<string, () => void>;
  for (const m of RECORDER_CALLS) proto[m] = () => {};
}

if (modes.has('pregen')) {
  const generate = SyntheticSource.prototype.next;
  interface Pregenerated {
    t: Float64Array;
    prompt: Float64Array;
    output: Float64Array;
    n: number;
    i: number;
    rec: ArrivalRecord;
  }
  const buffers = new WeakMap<SyntheticSource, Pregenerated>();
  SyntheticSource.prototype.next = function (this: SyntheticSource): ArrivalRecord | null {
    let b = buffers.get(this);
    if (b === undefined) {
      const t0 = performance.now();
      const t = new Float64Array(REQUESTS);
      const prompt = new Float64Array(REQUESTS);
      const output = new Float64Array(REQUESTS);
      let n = 0;
      let last: ArrivalRecord | null = null;
      for (let r = generate.call(this); r !== null; r = generate.call(this)) {
        t[n] = r.t_ms;
        prompt[n] = r.prompt_tokens;
        output[n] = r.output_tokens;
        last = r;
        n++;
      }
      b = { t, prompt, output, n, i: 0, rec: { ...(last as ArrivalRecord) } };
      buffers.set(this, b);
      generationMs += performance.now() - t0;
    }
    if (b.i >= b.n) return null;
    const r = b.rec;
    r.t_ms = b.t[b.i];
    r.prompt_tokens = b.prompt[b.i];
    r.output_tokens = b.output[b.i];
    b.i++;
    return r;
  };
}

const times: number[] = [];
for (let r = 0; r < REPEATS; r++) {
  generationMs = 0;
  const t0 = performance.now();
  await simulate(benchScenario(REQUESTS));
  times.push(performance.now() - t0 - generationMs);
}
times.sort((a, b) => a - b);
const label = [...modes].join(',');
console.log(
  `${label}: ${times.map((t) => t.toFixed(0)).join(' ')} ms; median ${times[REPEATS >> 1].toFixed(0)}`,
);
