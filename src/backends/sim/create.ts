/**
 * The simulated model for one spec: per-request latency (ttft_tpot, service) or a batching engine
 * (batching, profile), or a serving engine (engine: vllm/). Models sharing a device (devices) share its capacity.
 */
import type { ModelSpec } from '../../core/types.js';
import type { Engine } from '../../engine/engine.js';
import type { RngStreams } from '../../engine/rng.js';
import type { BackendHost } from '../backend.js';
import { BatchModel } from './batch-model.js';
import type { DeviceMap } from './device.js';
import type { SimModel } from './model.js';
import { RequestModel } from './request-model.js';
import { VllmModel } from './vllm/engine-model.js';

/** Build the simulated model for one spec (throws RangeError on parameters that make no sense). */
export function createSimModel(
  spec: ModelSpec,
  engine: Engine,
  host: BackendHost,
  streams: RngStreams,
  devices?: DeviceMap,
): SimModel {
  const m = spec.latency.model;
  if (m === 'ttft_tpot' || m === 'service') return new RequestModel(spec, engine, host, streams);
  if (m === 'engine') return new VllmModel(spec, engine, host, streams);
  return new BatchModel(spec, engine, host, streams, devices);
}
