/**
 * A cheap structural check of a GGUF file, in plain JavaScript (no native code, no weights read): magic,
 * version, sane tensor and key counts, every metadata key and tensor info readable within the file, tensor
 * offsets aligned, and the file long enough for the tensor data its header promises. It catches what makes
 * llama.cpp refuse a file before it loads (a 0-byte, garbage, truncated or cut-short file), so a simulated
 * run can mark such a model unhealthy, as a live run would find it; what only llama.cpp knows (an unknown
 * architecture, a missing tensor) is left to loading. Reading stops at the end of the header: for a model
 * of any size it reads the metadata (a few MB at most, mostly the vocabulary) and nothing else.
 *
 * Layout (GGUF v2/v3, little-endian): "GGUF", u32 version, u64 tensor count, u64 kv count; each kv a
 * string key, a u32 value type and the value; each tensor info a string name, u32 n_dims, u64 dims, u32
 * ggml type, u64 offset into the data section, which starts at the next multiple of `general.alignment`.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { GGUF_MAGIC, GgufValueType } from './gguf-writer.js';

/** What the header says, when the file passes. */
interface GgufHeader {
  version: number;
  tensors: number;
  kvs: number;
  alignment: number;
  /** Where the tensor data starts (bytes from the start of the file). */
  data_offset: number;
  /** One past the last byte of tensor data the header promises (tensors of known types only). */
  data_end: number;
  size_bytes: number;
}

export type GgufCheck = { ok: true; header: GgufHeader } | { ok: false; problem: string };

/** The versions llama.cpp reads (v1, with 32-bit counts, was dropped in 2023). */
const VERSIONS = [2, 3];
/** Far above any real model (a few thousand tensors, a few dozen keys); a larger count is a corrupt header. */
const MAX_TENSORS = 1 << 20;
const MAX_KVS = 1 << 20;
/** ggml's GGML_MAX_DIMS. */
const MAX_DIMS = 4;
/** Nested arrays are legal GGUF but unused in practice; the bound keeps a hostile file from recursing deep. */
const MAX_ARRAY_DEPTH = 4;
const DEFAULT_ALIGNMENT = 32;
/** Keys and tensor names are a few dozen bytes; llama.cpp's longest are far below this. */
const MAX_NAME_BYTES = 1 << 16;
/** Smallest possible kv (empty key, u8 value) and tensor info (empty name, one dim). */
const MIN_KV_BYTES = 8 + 4 + 1;
const MIN_TENSOR_BYTES = 8 + 4 + 8 + 4 + 8;
const HEADER_BYTES = 24;
const CHUNK = 1 << 20;
/** Byte sizes of the fixed-width GGUF value types (0..12; 8 string and 9 array are variable). */
const VALUE_BYTES = [1, 1, 2, 2, 4, 4, 4, 1, -1, -1, 8, 8, 8];

/** [elements per block, bytes per block] of the ggml types a model's data is commonly stored in. */
const GGML_BLOCKS: Readonly<Record<number, readonly [number, number]>> = {
  0: [1, 4], // F32
  1: [1, 2], // F16
  2: [32, 18], // Q4_0
  3: [32, 20], // Q4_1
  6: [32, 22], // Q5_0
  7: [32, 24], // Q5_1
  8: [32, 34], // Q8_0
  9: [32, 36], // Q8_1
  10: [256, 84], // Q2_K
  11: [256, 110], // Q3_K
  12: [256, 144], // Q4_K
  13: [256, 176], // Q5_K
  14: [256, 210], // Q6_K
  15: [256, 292], // Q8_K
  24: [1, 1], // I8
  25: [1, 2], // I16
  26: [1, 4], // I32
  27: [1, 8], // I64
  28: [1, 8], // F64
  30: [1, 2], // BF16
};
/** ggml type ids end well below this (GGML_TYPE_COUNT is under 64); anything above is garbage. */
const MAX_GGML_TYPE = 64;

/** Bytes of `elements` values of ggml type `type`, or null for a type not in GGML_BLOCKS. */
export function ggmlBytes(type: number, elements: number): number | null {
  const block = GGML_BLOCKS[type];
  return block ? Math.ceil(elements / block[0]) * block[1] : null;
}

/** Thrown inside the reader; always caught by checkGgufFile. */
class Bad extends Error {}

/** Sequential reads from a file through a 1 MiB window; reading past the end throws Bad. */
class Reader {
  pos = 0;
  private buf = Buffer.alloc(0);
  private bufStart = 0;

  constructor(
    private readonly fd: number,
    readonly size: number,
  ) {}

  private need(n: number): number {
    if (this.pos + n > this.size) {
      throw new Bad(`truncated header: it needs at least ${this.pos + n} bytes, the file has ${this.size}`);
    }
    const at = this.pos - this.bufStart;
    if (at >= 0 && at + n <= this.buf.length) return at;
    const len = Math.min(Math.max(n, CHUNK), this.size - this.pos);
    if (this.buf.length < len) this.buf = Buffer.alloc(len);
    const got = readSync(this.fd, this.buf, 0, len, this.pos);
    // The file shrank between fstat and here: as truncated as can be.
    if (got < n) throw new Bad(`truncated header: the file ends at ${this.pos + got} bytes`);
    this.bufStart = this.pos;
    return 0;
  }

  u32(): number {
    const at = this.need(4);
    this.pos += 4;
    return this.buf.readUInt32LE(at);
  }

  /** A u64 as a number; one above 2^53 cannot be a count or a size in a real file. */
  u64(what: string): number {
    const at = this.need(8);
    this.pos += 8;
    const v = this.buf.readBigUInt64LE(at);
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new Bad(`corrupt header: ${what} is ${v}`);
    return Number(v);
  }

  skip(n: number): void {
    if (this.pos + n > this.size) this.need(n);
    this.pos += n;
  }

  /** A string's bytes decoded (keys, which are short) or skipped (values). */
  str(what: string, keep: boolean): string {
    const n = this.u64(`the length of ${what}`);
    if (!keep) {
      this.skip(n);
      return '';
    }
    // Kept strings are keys and tensor names: a garbage length must not size a buffer after the file.
    if (n > MAX_NAME_BYTES) throw new Bad(`corrupt header: ${what} is ${n} bytes long`);
    const at = this.need(n);
    this.pos += n;
    return this.buf.toString('utf8', at, at + n);
  }
}

function skipValue(r: Reader, type: number, key: string, depth: number): void {
  if (type === GgufValueType.STRING) {
    r.str(`the value of ${key}`, false);
  } else if (type === GgufValueType.ARRAY) {
    if (depth >= MAX_ARRAY_DEPTH) throw new Bad(`corrupt header: ${key} nests arrays too deep`);
    const inner = r.u32();
    const n = r.u64(`the length of ${key}`);
    if (inner >= VALUE_BYTES.length)
      throw new Bad(`corrupt header: ${key} has elements of unknown type ${inner}`);
    if (VALUE_BYTES[inner] > 0) r.skip(n * VALUE_BYTES[inner]);
    else for (let i = 0; i < n; i++) skipValue(r, inner, key, depth + 1);
  } else if (type < VALUE_BYTES.length) {
    r.skip(VALUE_BYTES[type]);
  } else {
    throw new Bad(`corrupt header: ${key} has unknown value type ${type}`);
  }
}

/** Leading bytes for a message: quoted when printable ASCII, else hex. */
function shown(b: Buffer): string {
  const text = b.toString('latin1');
  return /^[\x20-\x7e]*$/.test(text) ? JSON.stringify(text) : `0x${b.toString('hex')}`;
}

function check(r: Reader, head: Buffer): GgufHeader {
  const size = r.size;
  if (size === 0) throw new Bad('the file is empty (0 bytes)');
  if (head.length < 4 || head.readUInt32LE(0) !== GGUF_MAGIC) {
    throw new Bad(
      `not a GGUF file (the first bytes are ${shown(head.subarray(0, 4))}, a GGUF file starts with "GGUF")`,
    );
  }
  if (size < HEADER_BYTES) throw new Bad(`truncated header: the file is only ${size} bytes`);
  r.pos = 4;
  const version = r.u32();
  if (!VERSIONS.includes(version)) {
    const hint =
      version === 1
        ? ' (v1 is no longer read by llama.cpp)'
        : version > 0xffff
          ? ' (a big-endian file?)'
          : '';
    throw new Bad(`unsupported GGUF version ${version}${hint}; llama.cpp reads versions 2 and 3`);
  }
  const tensors = r.u64('the tensor count');
  const kvs = r.u64('the key count');
  if (
    tensors > MAX_TENSORS ||
    kvs > MAX_KVS ||
    HEADER_BYTES + kvs * MIN_KV_BYTES + tensors * MIN_TENSOR_BYTES > size
  ) {
    throw new Bad(
      `corrupt header: it lists ${tensors} tensors and ${kvs} metadata keys, more than ${size} bytes can hold` +
        ` (at most ${MAX_TENSORS} of each)`,
    );
  }
  if (tensors === 0) throw new Bad('the header lists no tensors (no weights to serve)');

  let alignment = DEFAULT_ALIGNMENT;
  for (let i = 0; i < kvs; i++) {
    const key = r.str(`key ${i}`, true);
    const type = r.u32();
    if (key === 'general.alignment' && type === GgufValueType.UINT32) {
      alignment = r.u32();
      if (alignment === 0 || (alignment & (alignment - 1)) !== 0)
        throw new Bad(`corrupt header: general.alignment is ${alignment}, not a power of two`);
    } else {
      skipValue(r, type, key || `key ${i}`, 0);
    }
  }

  const infos: { name: string; type: number; elements: number; offset: number }[] = [];
  for (let i = 0; i < tensors; i++) {
    const name = r.str(`tensor ${i}'s name`, true);
    const dims = r.u32();
    if (dims < 1 || dims > MAX_DIMS)
      throw new Bad(
        `corrupt header: tensor ${name || i} has ${dims} dimensions (ggml allows 1 to ${MAX_DIMS})`,
      );
    let elements = 1;
    for (let d = 0; d < dims; d++) elements *= r.u64(`a dimension of tensor ${name || i}`);
    if (!Number.isSafeInteger(elements))
      throw new Bad(`corrupt header: tensor ${name || i} is impossibly large`);
    const type = r.u32();
    if (type >= MAX_GGML_TYPE)
      throw new Bad(`corrupt header: tensor ${name || i} has unknown ggml type ${type}`);
    const offset = r.u64(`the offset of tensor ${name || i}`);
    if (offset % alignment !== 0)
      throw new Bad(
        `corrupt header: tensor ${name || i} starts at ${offset}, not a multiple of ${alignment}`,
      );
    infos.push({ name, type, elements, offset });
  }
  const data_offset = Math.ceil(r.pos / alignment) * alignment;
  let data_end = data_offset;
  for (const t of infos) {
    const bytes = ggmlBytes(t.type, t.elements);
    if (bytes !== null) data_end = Math.max(data_end, data_offset + t.offset + bytes);
  }
  if (data_end > size)
    throw new Bad(`truncated: the tensor data needs ${data_end} bytes, the file has ${size}`);
  return { version, tensors, kvs, alignment, data_offset, data_end, size_bytes: size };
}

/**
 * Checks the GGUF file at `path` (see the module comment). Never throws: a file that is missing, not a
 * regular file, unreadable or malformed gives `{ ok: false, problem }`, one line saying what is wrong.
 */
export function checkGgufFile(path: string): GgufCheck {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { ok: false, problem: 'model file not found' };
    if (code === 'EISDIR') return { ok: false, problem: 'not a file (a GGUF model is one .gguf file)' };
    return { ok: false, problem: `cannot read the model file (${(err as Error).message})` };
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) return { ok: false, problem: 'not a file (a GGUF model is one .gguf file)' };
    const head = Buffer.alloc(Math.min(HEADER_BYTES, st.size));
    const got = head.length > 0 ? readSync(fd, head, 0, head.length, 0) : 0;
    return { ok: true, header: check(new Reader(fd, st.size), head.subarray(0, got)) };
  } catch (err) {
    if (err instanceof Bad) return { ok: false, problem: err.message };
    return { ok: false, problem: `cannot read the model file (${(err as Error).message})` };
  } finally {
    closeSync(fd);
  }
}
