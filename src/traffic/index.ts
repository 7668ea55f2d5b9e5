/**
 * The one entry the simulation driver calls: `createSource(traffic, streams, { horizon_ms, baseDir })`
 * turns the scenario's traffic into a pull-based RequestSource (non-decreasing t_ms, all < horizon_ms).
 *
 * - synthetic: see synthetic/generator.ts. Draws from streams 'arrivals', 'sizes' and 'sessions'.
 * - trace: a streaming reader for the format (traces/formats.ts), then the trace operations in this order:
 *   window -> sample -> loop -> time scale (speed or target_rate) -> horizon. Sampling draws from stream
 *   'sample'. Paths are resolved against baseDir (the scenario file's folder).
 * - merge: each stream as above, with its purposes prefixed by its tenant name ('<tenant>/arrivals'...),
 *   then a k-way merge by time; every record carries its tenant (the stream's `tenant`, else the trace's
 *   file name without extension, else `stream-<N>`, 1-based; a repeated name gets `#<index>`).
 *   A single stream with a `tenant` stamps it on its records too.
 *
 * - inference_perf: the stages of an inference-perf profile (inference-perf/source.ts), stream 'arrivals'.
 *
 * Throws UserError for a trace that cannot be opened or read (file:line), RangeError for impossible
 * synthetic parameters (the scenario loader reports those with positions first).
 */
import { basename, extname, resolve } from 'node:path';
import type { SyntheticTraffic, TraceTraffic, Traffic } from '../core/types.js';
import type { Rng, RngStreams } from '../engine/rng.js';
import { InferencePerfSource } from './inference-perf/source.js';
import { untilHorizon } from './ops/horizon.js';
import { mergeSources } from './ops/merge.js';
import type { RequestSource } from './source.js';
import { SyntheticSource } from './synthetic/generator.js';
import { openTraceTraffic } from './traces/open-traffic.js';

export interface SourceOptions {
  /** Records at or after this time (ms) are not produced. Infinity = no limit (a loop then throws). */
  horizon_ms: number;
  /** Folder that relative trace paths are resolved against. */
  baseDir: string;
}

export function createSource(traffic: Traffic, streams: RngStreams, opts: SourceOptions): RequestSource {
  if (traffic.kind === 'merge') {
    const names = tenantNames(traffic.streams);
    const parts = traffic.streams.map((s, i) =>
      one(s, (purpose) => streams.get(`${names[i]}/${purpose}`), opts, names[i]),
    );
    return mergeSources(parts, names);
  }
  if (traffic.kind === 'inference_perf') {
    return new InferencePerfSource(traffic.profile, streams.get('arrivals'), opts.horizon_ms);
  }
  const src = one(traffic, (purpose) => streams.get(purpose), opts, undefined);
  // A lone stream with a tenant name still stamps it, so reports can group by tenant either way.
  return traffic.tenant ? mergeSources([src], [traffic.tenant]) : src;
}

function one(
  t: SyntheticTraffic | TraceTraffic,
  rng: (purpose: string) => Rng,
  opts: SourceOptions,
  tenant: string | undefined,
): RequestSource {
  if (t.kind === 'synthetic') {
    return new SyntheticSource(
      t,
      { arrivals: rng('arrivals'), sizes: rng('sizes'), sessions: rng('sessions') },
      opts.horizon_ms,
      tenant,
    );
  }
  const src = openTraceTraffic({ ...t, path: resolve(opts.baseDir, t.path) }, rng('sample'), opts.horizon_ms);
  return untilHorizon(src, opts.horizon_ms);
}

/** Tenant names for merged streams: the stream's own, else the trace's file name, else 'stream-<i+1>'. */
export function tenantNames(streams: readonly (SyntheticTraffic | TraceTraffic)[]): string[] {
  const names: string[] = [];
  streams.forEach((s, i) => {
    let name = s.tenant ?? (s.kind === 'trace' ? basename(s.path, extname(s.path)) : `stream-${i + 1}`);
    if (names.includes(name)) name = `${name}#${i}`;
    names.push(name);
  });
  return names;
}
