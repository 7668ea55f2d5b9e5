/**
 * The event heap on its own, and the simulation loop against a bare heap loop.
 *
 * `register()`: the classic "hold" benchmark — a heap prefilled with N pending events, then pop one and
 * push one at (popped time + an exponential delay), 100k times per sample — at N = 256, 4,096 and 65,536
 * (a simulation's heap holds about one event per request in flight plus the next arrival, so hundreds to
 * tens of thousands).
 *
 * `report()`: the simulation loop vs a bare heap loop that moves the same number of events through a
 * plain heap. A recording run of the standard simulation benchmark (bench/simulation.bench.ts: 8 models,
 * Poisson, ttft/tpot, least_loaded) logs every push (with its time) and pop on the engine's heap, and
 * every event of the engine's arrival lane (Engine.scheduleLaneAt) as a push at its time plus a pop when
 * it runs: the lane spares the simulation those heap operations, but the fair baseline is "the same
 * events through a plain heap", so the bare loop does them. The bare loop then replays that sequence on a
 * fresh heap. Both are timed in this process (median of 5, after a warm-up); the absolute times, ns per
 * event and the ratio are printed; the target is simulation <= 3 × bare heap loop. Writes
 * reports/bench/heap.json.
 */
import { performance } from 'node:perf_hooks';
import { bench, do_not_optimize, group } from 'mitata';
import { Engine } from '../src/engine/engine.js';
import { EventHeap } from '../src/engine/heap.js';
import { runScenario } from '../src/experiments/run-scenario.js';
import { writeResults } from './results.js';
import { benchScenario } from './simulation.bench.js';

export const NAME = 'heap';

const SIZES = [256, 4096, 65_536];
const HOLD_OPS = 100_000;
/** Requests of the simulation compared against the bare loop. */
const LOOP_REQUESTS = 200_000;
const REPEATS = 5;

/** Exponential delays (mean 100 ms) from a fixed LCG: the same table every run, no Math.random. */
function delays(n: number): Float64Array {
  const out = new Float64Array(n);
  let s = 12345;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = -100 * Math.log((s + 1) / 4294967297);
  }
  return out;
}

/** A heap of `size` pending events and a closure doing HOLD_OPS pop+push pairs on it. */
export function holdFixture(size: number): () => number {
  const d = delays(1 << 16);
  const h = new EventHeap(size + 1);
  for (let i = 0; i < size; i++) h.push(d[i & 0xffff], i, 0, 0);
  let k = 0;
  return () => {
    for (let i = 0; i < HOLD_OPS; i++) {
      h.pop();
      h.push(h.poppedTime + d[k++ & 0xffff], h.poppedTarget, 0, 0);
    }
    return h.size;
  };
}

export function register(): void {
  group(`event heap: hold (pop + push) × ${HOLD_OPS / 1000}k`, () => {
    for (const n of SIZES) {
      const f = holdFixture(n);
      bench(`heap hold, ${n} pending`, () => do_not_optimize(f()));
    }
  });
}

/**
 * The event operations of one simulation run, in order, as a plain heap would do them: ops[i] = 1 push
 * (at times[j++]), 0 pop. Lane events count as one push and one pop each.
 */
export interface HeapTrace {
  ops: Uint8Array;
  times: Float64Array;
  pushes: number;
  pops: number;
  /** Of pushes (and of pops): events that went through the engine's lane, not its heap. */
  laneEvents: number;
  /** Events the simulation ran (engine.eventsProcessed). */
  events: number;
  maxSize: number;
}

/**
 * Runs the simulation once with the heap's push/pop and the engine's lane instrumented and returns what
 * it did. A lane event is logged as a push when it is scheduled and as a pop just before the next lane
 * event is scheduled (the driver schedules the next arrival first thing while handling one, with no heap
 * operation in between), the last one at the end of the run.
 */
export async function recordHeapTrace(requests: number): Promise<HeapTrace> {
  let ops = new Uint8Array(1 << 20);
  let times = new Float64Array(1 << 19);
  let n = 0;
  let pushes = 0;
  let laneEvents = 0;
  let laneHeld = false;
  let maxSize = 0;
  let events = 0;
  const proto = EventHeap.prototype;
  const push = proto.push;
  const pop = proto.pop;
  const eproto = Engine.prototype;
  const scheduleLaneAt = eproto.scheduleLaneAt;
  const run = eproto.run;
  const logPush = (time: number) => {
    if (n === ops.length) ops = grow(ops);
    if (pushes === times.length) times = grow(times);
    ops[n++] = 1;
    times[pushes++] = time;
  };
  const logPop = () => {
    if (n === ops.length) ops = grow(ops);
    ops[n++] = 0;
  };
  proto.push = function (this: EventHeap, time: number, target: number, kind: number, arg: number) {
    logPush(time);
    push.call(this, time, target, kind, arg);
    if (this.size > maxSize) maxSize = this.size;
  };
  proto.pop = function (this: EventHeap) {
    logPop();
    return pop.call(this);
  };
  eproto.scheduleLaneAt = function (this: Engine, at_ms: number, target: number, kind: number, arg?: number) {
    if (laneHeld) logPop();
    logPush(at_ms);
    laneEvents++;
    laneHeld = true;
    scheduleLaneAt.call(this, at_ms, target, kind, arg);
  };
  eproto.run = function (this: Engine, opts?: { until?: number }) {
    const r = run.call(this, opts);
    events = this.eventsProcessed;
    return r;
  };
  try {
    await runScenario(benchScenario(requests));
  } finally {
    proto.push = push;
    proto.pop = pop;
    eproto.scheduleLaneAt = scheduleLaneAt;
    eproto.run = run;
  }
  if (laneHeld) logPop();
  return {
    ops: ops.subarray(0, n),
    times: times.subarray(0, pushes),
    pushes,
    pops: n - pushes,
    laneEvents,
    events,
    maxSize,
  };
}

function grow<T extends Uint8Array | Float64Array>(a: T): T {
  const b = new (a.constructor as new (n: number) => T)(a.length * 2);
  b.set(a);
  return b;
}

/** The bare heap loop: replays a trace on a fresh plain heap; returns the number of successful pops. */
export function replay(trace: HeapTrace): number {
  const h = new EventHeap();
  const { ops, times } = trace;
  let j = 0;
  let popped = 0;
  for (let i = 0; i < ops.length; i++) {
    if (ops[i] === 1) h.push(times[j++], 0, 0, 0);
    else if (h.pop()) popped++;
  }
  return popped;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1];
}

export interface LoopComparison {
  requests: number;
  /** Events the simulation ran; the bare loop pushes and pops as many. */
  events: number;
  /** Of them, through the engine's arrival lane (heap operations the simulation does not do). */
  lane_events: number;
  pushes: number;
  pops: number;
  max_heap_size: number;
  simulation_ms: number;
  bare_heap_loop_ms: number;
  simulation_ns_per_event: number;
  bare_heap_loop_ns_per_event: number;
  ratio: number;
  target_ratio: number;
}

/** Times the simulation and the bare replay of its heap trace in this process; median of REPEATS each. */
export async function compareLoops(requests = LOOP_REQUESTS): Promise<LoopComparison> {
  const trace = await recordHeapTrace(requests);
  await runScenario(benchScenario(requests)); // warm-up, uninstrumented
  replay(trace);
  const sim: number[] = [];
  const bare: number[] = [];
  for (let i = 0; i < REPEATS; i++) {
    let t0 = performance.now();
    await runScenario(benchScenario(requests));
    sim.push(performance.now() - t0);
    t0 = performance.now();
    do_not_optimize(replay(trace));
    bare.push(performance.now() - t0);
  }
  const simulation_ms = median(sim);
  const bare_heap_loop_ms = median(bare);
  return {
    requests,
    events: trace.events,
    lane_events: trace.laneEvents,
    pushes: trace.pushes,
    pops: trace.pops,
    max_heap_size: trace.maxSize,
    simulation_ms: round(simulation_ms),
    bare_heap_loop_ms: round(bare_heap_loop_ms),
    simulation_ns_per_event: round((simulation_ms * 1e6) / trace.events),
    bare_heap_loop_ns_per_event: round((bare_heap_loop_ms * 1e6) / trace.pops),
    ratio: round(simulation_ms / bare_heap_loop_ms),
    target_ratio: 3,
  };
}

const round = (x: number) => Math.round(x * 1000) / 1000;

interface Trial {
  runs: { name: string; stats?: { avg: number; p50: number } }[];
}

export async function report(results: { benchmarks: Trial[] }): Promise<void> {
  const hold = SIZES.map((n) => {
    let p50 = Number.NaN;
    for (const t of results.benchmarks)
      for (const r of t.runs) if (r.name === `heap hold, ${n} pending` && r.stats) p50 = r.stats.p50;
    return {
      pending: n,
      ns_per_pop_push: round(p50 / HOLD_OPS),
      ops_per_s: Math.round((2 * HOLD_OPS) / (p50 / 1e9)),
    };
  });
  console.log('\nevent heap, hold model (median per pop + push pair):');
  for (const h of hold)
    console.log(
      `  ${String(h.pending).padStart(6)} pending: ${h.ns_per_pop_push.toFixed(1)} ns (${h.ops_per_s.toLocaleString('en')} ops/s)`,
    );
  const loop = await compareLoops();
  const en = (x: number) => x.toLocaleString('en');
  console.log(
    `\nsimulation loop vs bare heap loop (${en(loop.requests)} requests, ${en(loop.events)} events, ` +
      `${en(loop.lane_events)} of them in the arrival lane; the bare loop does ${en(loop.pushes)} pushes and ` +
      `${en(loop.pops)} pops on a plain heap, up to ${loop.max_heap_size} pending):`,
  );
  console.log(
    `  simulation ${loop.simulation_ms.toFixed(1)} ms (${loop.simulation_ns_per_event.toFixed(1)} ns/event), ` +
      `bare heap loop ${loop.bare_heap_loop_ms.toFixed(1)} ms (${loop.bare_heap_loop_ns_per_event.toFixed(1)} ns/event): ` +
      `ratio ${loop.ratio.toFixed(2)}× (target <= ${loop.target_ratio}×: ${loop.ratio <= loop.target_ratio ? 'met' : 'not met'})`,
  );
  writeResults(NAME, { bench: NAME, hold, simulation_vs_heap: loop });
}
