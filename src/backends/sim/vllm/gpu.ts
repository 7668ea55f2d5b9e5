/**
 * GPU specs for the physics: the built-in ones by name, or a datasheet JSON file in the shape of
 * data/vllm-h100/hardware/h100-sxm.json (compute TFLOP/s by precision, `with_sparsity` when the tensor
 * figures are the sparse ones — dense is then half —, memory capacity and bandwidth, NVLink). The built-in
 * table holds the datasheets themselves, read by the same parser as a file (one source of each number).
 */
import type { GpuSpec } from '../../../core/engine-spec.js';
import { asObject, numberField, type Read, readJson } from './json-file.js';

/** Datasheets of the built-in GPUs, as their JSON files give them. */
const DATASHEETS: Readonly<Record<string, unknown>> = Object.freeze({
  'h100-sxm': {
    name: 'H100 SXM',
    compute: {
      fp32: 67,
      tf32_tensor_core: 989,
      bf16_tensor_core: 1979,
      fp16_tensor_core: 1979,
      fp8_tensor_core: 3958,
      with_sparsity: true,
    },
    memory: { capacity_gb: 80, bandwidth_tb_s: 3.35 },
    interconnect: { nvlink_bandwidth_gb_s: 900 },
  },
});

export const BUILT_IN_GPUS = Object.keys(DATASHEETS);

/** Datasheet compute keys -> the dtype names of ModelArch.dtype they serve. */
const TENSOR_KEYS: readonly [string, readonly string[]][] = [
  ['bf16_tensor_core', ['bfloat16']],
  ['fp16_tensor_core', ['float16', 'half']],
  ['fp8_tensor_core', ['float8', 'float8_e4m3fn']],
  ['tf32_tensor_core', ['float32', 'float']],
];

/** A built-in GPU by name, or undefined. */
export function builtInGpu(name: string): GpuSpec | undefined {
  const sheet = DATASHEETS[name];
  if (sheet === undefined) return undefined;
  const r = parseGpuSpec(sheet);
  if (!r.ok) throw new Error(`built-in GPU ${name}: ${r.problems.join('; ')}`);
  return r.value;
}

/** A GPU given as a built-in name or a datasheet file path (absolute). */
export function readGpu(nameOrPath: string): Read<GpuSpec> {
  const b = builtInGpu(nameOrPath);
  if (b !== undefined) return { ok: true, value: b };
  const json = readJson(nameOrPath);
  if (!json.ok) return json;
  return parseGpuSpec(json.value);
}

/** Checks decoded datasheet contents (see the file's header). */
function parseGpuSpec(data: unknown): Read<GpuSpec> {
  const o = asObject(data);
  if (o === undefined) return { ok: false, problems: ['a GPU spec is a JSON object'] };
  const p: string[] = [];
  const compute = asObject(o.compute);
  const memory = asObject(o.memory);
  const link = asObject(o.interconnect) ?? {};
  if (compute === undefined) p.push('compute: missing (TFLOP/s by precision)');
  if (memory === undefined) p.push('memory: missing (capacity_gb, bandwidth_tb_s)');
  if (compute === undefined || memory === undefined) return { ok: false, problems: p };
  const sparse = compute.with_sparsity === true;
  const dense: Record<string, number> = {};
  for (const [key, dtypes] of TENSOR_KEYS) {
    const v = numberField(compute, key, 'compute.', p, { min: 0.001, max: 1e6, required: false });
    if (v !== undefined) for (const d of dtypes) dense[d] = sparse ? v / 2 : v;
  }
  if (dense.bfloat16 === undefined && dense.float16 === undefined)
    p.push('compute: needs bf16_tensor_core or fp16_tensor_core (TFLOP/s)');
  dense.bfloat16 ??= dense.float16;
  dense.float16 ??= dense.bfloat16;
  dense.half ??= dense.float16;
  const memory_gib = numberField(memory, 'capacity_gb', 'memory.', p, { min: 0.1, max: 1e5 });
  const bw = numberField(memory, 'bandwidth_tb_s', 'memory.', p, { min: 0.001, max: 1e4 });
  const nvlink = numberField(link, 'nvlink_bandwidth_gb_s', 'interconnect.', p, {
    min: 0.001,
    max: 1e6,
    required: false,
  });
  if (p.length > 0) return { ok: false, problems: p };
  return {
    ok: true,
    value: {
      name: typeof o.name === 'string' ? o.name : 'gpu',
      dense_tflops: dense,
      memory_gib: memory_gib!,
      bandwidth_tb_s: bw!,
      // Without NVLink figures, tensor-parallel traffic goes over PCIe.
      nvlink_gb_s: nvlink ?? numberField(link, 'pcie_bandwidth_gb_s', '', [], { min: 0.001, max: 1e6 }) ?? 64,
    },
  };
}
