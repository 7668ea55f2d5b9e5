/**
 * A minimal GGUF v3 writer (little-endian): header, metadata key/values, tensor infos, then tensor data
 * aligned to `general.alignment` (32 bytes). Enough to write the models routesim synthesizes; it does not
 * quantize (F32 and F16 only).
 *
 * Layout, per the GGUF spec: magic "GGUF", u32 version, u64 tensor count, u64 kv count; each kv is a
 * string key, a u32 value type and the value; each tensor info is a string name, u32 n_dims, u64 dims
 * (fastest-varying first, ggml's ne order), u32 ggml type and a u64 offset relative to the data section.
 */
import { writeSync } from 'node:fs';
import { type OutputOptions, openAtomic } from '../../core/output/atomic-file.js';
import { fsUserError } from '../../core/output/paths.js';

export const GGUF_MAGIC = 0x46554747; // "GGUF" read as a little-endian u32
const GGUF_VERSION = 3;
export const GGUF_ALIGNMENT = 32;

/** GGUF metadata value types. */
export const GgufValueType = {
  UINT8: 0,
  INT8: 1,
  UINT16: 2,
  INT16: 3,
  UINT32: 4,
  INT32: 5,
  FLOAT32: 6,
  BOOL: 7,
  STRING: 8,
  ARRAY: 9,
  UINT64: 10,
  INT64: 11,
  FLOAT64: 12,
} as const;

/** The ggml tensor types this writer emits. */
export type TensorType = 'f32' | 'f16';
const GGML_TYPE: Record<TensorType, number> = { f32: 0, f16: 1 };
const BYTES_PER: Record<TensorType, number> = { f32: 4, f16: 2 };

export type KvValue =
  | { type: 'u32'; value: number }
  | { type: 'i32'; value: number }
  | { type: 'f32'; value: number }
  | { type: 'bool'; value: boolean }
  | { type: 'string'; value: string }
  | { type: 'string[]'; value: readonly string[] }
  | { type: 'f32[]'; value: ArrayLike<number> }
  | { type: 'i32[]'; value: ArrayLike<number> };

export interface TensorSpec {
  name: string;
  /** ggml ne order: dims[0] is the fastest-varying (row length). */
  dims: readonly number[];
  type: TensorType;
  /** Called once, when the tensor is written, with the number of elements; returns them as float32. */
  fill: (count: number) => Float32Array;
}

/** Bytes a tensor's data takes. */
export function tensorBytes(t: Pick<TensorSpec, 'dims' | 'type'>): number {
  return t.dims.reduce((a, b) => a * b, 1) * BYTES_PER[t.type];
}

const pad = (n: number, align: number) => (align - (n % align)) % align;

/** Growable little-endian byte buffer for the header part of the file. */
class ByteSink {
  private buf = Buffer.alloc(1 << 16);
  length = 0;
  private ensure(n: number): void {
    if (this.length + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.length + n) size *= 2;
    const next = Buffer.alloc(size);
    this.buf.copy(next, 0, 0, this.length);
    this.buf = next;
  }
  u8(v: number): void {
    this.ensure(1);
    this.buf.writeUInt8(v, this.length);
    this.length += 1;
  }
  u32(v: number): void {
    this.ensure(4);
    this.buf.writeUInt32LE(v, this.length);
    this.length += 4;
  }
  i32(v: number): void {
    this.ensure(4);
    this.buf.writeInt32LE(v, this.length);
    this.length += 4;
  }
  f32(v: number): void {
    this.ensure(4);
    this.buf.writeFloatLE(v, this.length);
    this.length += 4;
  }
  u64(v: number): void {
    this.ensure(8);
    this.buf.writeBigUInt64LE(BigInt(v), this.length);
    this.length += 8;
  }
  str(s: string): void {
    const bytes = Buffer.from(s, 'utf8');
    this.u64(bytes.length);
    this.ensure(bytes.length);
    bytes.copy(this.buf, this.length);
    this.length += bytes.length;
  }
  zeros(n: number): void {
    this.ensure(n);
    this.buf.fill(0, this.length, this.length + n);
    this.length += n;
  }
  bytes(): Buffer {
    return this.buf.subarray(0, this.length);
  }
}

function writeKv(out: ByteSink, key: string, v: KvValue): void {
  out.str(key);
  switch (v.type) {
    case 'u32':
      out.u32(GgufValueType.UINT32);
      out.u32(v.value);
      return;
    case 'i32':
      out.u32(GgufValueType.INT32);
      out.i32(v.value);
      return;
    case 'f32':
      out.u32(GgufValueType.FLOAT32);
      out.f32(v.value);
      return;
    case 'bool':
      out.u32(GgufValueType.BOOL);
      out.u8(v.value ? 1 : 0);
      return;
    case 'string':
      out.u32(GgufValueType.STRING);
      out.str(v.value);
      return;
    case 'string[]':
      out.u32(GgufValueType.ARRAY);
      out.u32(GgufValueType.STRING);
      out.u64(v.value.length);
      for (const s of v.value) out.str(s);
      return;
    case 'f32[]':
      out.u32(GgufValueType.ARRAY);
      out.u32(GgufValueType.FLOAT32);
      out.u64(v.value.length);
      for (let i = 0; i < v.value.length; i++) out.f32(v.value[i]);
      return;
    case 'i32[]':
      out.u32(GgufValueType.ARRAY);
      out.u32(GgufValueType.INT32);
      out.u64(v.value.length);
      for (let i = 0; i < v.value.length; i++) out.i32(v.value[i]);
      return;
  }
}

/** IEEE 754 half from a float32, round-to-nearest-even; overflow goes to ±Inf. */
export function toHalf(x: number): number {
  const f = new Float32Array(1);
  const u = new Uint32Array(f.buffer);
  f[0] = x;
  const bits = u[0];
  const sign = (bits >>> 16) & 0x8000;
  const exp = (bits >>> 23) & 0xff;
  let mant = bits & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant ? 0x200 : 0);
  const e = exp - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign;
    mant |= 0x800000;
    const shift = 14 - e;
    let half = mant >>> shift;
    const rem = mant & ((1 << shift) - 1);
    const halfway = 1 << (shift - 1);
    if (rem > halfway || (rem === halfway && half & 1)) half++;
    return sign | half;
  }
  let half = (e << 10) | (mant >>> 13);
  const rem = mant & 0x1fff;
  if (rem > 0x1000 || (rem === 0x1000 && half & 1)) half++; // a carry into the exponent is still right
  return sign | half;
}

function encode(values: Float32Array, type: TensorType): Buffer {
  if (type === 'f32') return Buffer.from(values.buffer, values.byteOffset, values.byteLength);
  const out = Buffer.alloc(values.length * 2);
  for (let i = 0; i < values.length; i++) out.writeUInt16LE(toHalf(values[i]), i * 2);
  return out;
}

/**
 * Write a GGUF v3 file at `path` with the given metadata (in order) and tensors (data in order, each
 * aligned), atomically (core/output: whole or absent). Returns the file's size in bytes. Throws UserError
 * for a path that cannot be written, and on a bad tensor (fill of the wrong length).
 */
export function writeGguf(
  path: string,
  kvs: ReadonlyArray<[string, KvValue]>,
  tensors: readonly TensorSpec[],
  opts: OutputOptions = {},
): number {
  const head = new ByteSink();
  head.u32(GGUF_MAGIC);
  head.u32(GGUF_VERSION);
  head.u64(tensors.length);
  head.u64(kvs.length);
  for (const [k, v] of kvs) writeKv(head, k, v);
  let offset = 0;
  for (const t of tensors) {
    head.str(t.name);
    head.u32(t.dims.length);
    for (const d of t.dims) head.u64(d);
    head.u32(GGML_TYPE[t.type]);
    head.u64(offset);
    const bytes = tensorBytes(t);
    offset += bytes + pad(bytes, GGUF_ALIGNMENT);
  }
  head.zeros(pad(head.length, GGUF_ALIGNMENT));

  const out = openAtomic(path, opts);
  const { fd } = out;
  let size = 0;
  try {
    size += writeSync(fd, head.bytes());
    for (const t of tensors) {
      const count = t.dims.reduce((a, b) => a * b, 1);
      const values = t.fill(count);
      if (values.length !== count)
        throw new Error(`tensor ${t.name}: fill gave ${values.length} values, expected ${count}`);
      const data = encode(values, t.type);
      size += writeSync(fd, data);
      const p = pad(data.length, GGUF_ALIGNMENT);
      if (p > 0) size += writeSync(fd, Buffer.alloc(p));
    }
  } catch (err) {
    out.abort();
    throw fsUserError(err, path, 'write');
  }
  out.commit();
  return size;
}
