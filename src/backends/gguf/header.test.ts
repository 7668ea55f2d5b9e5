import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readGgufFileInfo } from 'node-llama-cpp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SeededRng } from '../../engine/rng.js';
import { writeGguf } from './gguf-writer.js';
import { checkGgufFile } from './header.js';
import { llamaMetadata, llamaTensors, resolveSynthOptions, synthesizeGguf } from './synth.js';

const dir = mkdtempSync(join(tmpdir(), 'routesim-header-'));
const good = join(dir, 'good.gguf');
let full: Buffer;
afterAll(() => rmSync(dir, { recursive: true, force: true }));
beforeAll(() => {
  synthesizeGguf(good, { vocab: 300, context: 512 });
  full = readFileSync(good);
});

/** Writes `bytes` as a .gguf file and checks it. */
function check(name: string, bytes: Buffer | string) {
  const p = join(dir, name);
  writeFileSync(p, bytes);
  return checkGgufFile(p);
}

/** The synthesized file with a u32 or u64 at `offset` replaced. */
function patched(offset: number, value: number, width: 4 | 8): Buffer {
  const b = Buffer.from(full);
  if (width === 4) b.writeUInt32LE(value, offset);
  else b.writeBigUInt64LE(BigInt(value), offset);
  return b;
}

function problem(r: ReturnType<typeof checkGgufFile>): string {
  return r.ok ? 'ok' : r.problem;
}

describe('checkGgufFile', () => {
  it('reads a synthesized model: the counts and data layout node-llama-cpp reads', async () => {
    const h = checkOk(good);
    const info = await readGgufFileInfo(good, { logWarnings: false });
    const tensors = info.fullTensorInfo ?? [];
    expect(h.version).toBe(3);
    expect(h.tensors).toBe(21);
    expect(tensors).toHaveLength(21);
    expect(h.kvs).toBe(llamaMetadata(resolveSynthOptions({ vocab: 300, context: 512 })).length);
    expect(h.alignment).toBe(32);
    // node-llama-cpp's offsets are absolute: the first tensor starts the data section.
    expect(h.data_offset).toBe(Number(tensors[0].fileOffset));
    expect(h.data_offset % 32).toBe(0);
    // All f32: the data ends where the last tensor's 4-byte values end; the writer pads to 32 after it.
    const last = tensors[tensors.length - 1];
    const lastBytes = last.dimensions.reduce<number>((a, d) => a * Number(d), 1) * 4;
    expect(h.data_end).toBe(Number(last.fileOffset) + lastBytes);
    expect(h.size_bytes).toBe(full.length);
    expect(full.length - h.data_end).toBeLessThan(32);
  });

  it('names what is wrong with an empty, garbage, cut-short or corrupt file', () => {
    expect(problem(check('empty.gguf', ''))).toBe('the file is empty (0 bytes)');
    expect(problem(check('text.gguf', 'this is not a model'))).toBe(
      'not a GGUF file (the first bytes are "this", a GGUF file starts with "GGUF")',
    );
    const rng = new SeededRng(3);
    const noise = Buffer.from(Array.from({ length: 4096 }, () => Math.floor(rng.next() * 256)));
    noise[0] = 0x00;
    expect(problem(check('noise.gguf', noise))).toMatch(
      /^not a GGUF file \(the first bytes are 0x00[0-9a-f]{6},/,
    );
    expect(problem(check('magic-only.gguf', 'GGUF'))).toBe('truncated header: the file is only 4 bytes');
    expect(problem(check('23.gguf', full.subarray(0, 23)))).toBe(
      'truncated header: the file is only 23 bytes',
    );
    expect(problem(check('v1.gguf', patched(4, 1, 4)))).toBe(
      'unsupported GGUF version 1 (v1 is no longer read by llama.cpp); llama.cpp reads versions 2 and 3',
    );
    expect(problem(check('be.gguf', patched(4, 0x03000000, 4)))).toMatch(
      /^unsupported GGUF version 50331648 \(a big-endian file\?\)/,
    );
    expect(problem(check('tensors.gguf', patched(8, 2 ** 40, 8)))).toBe(
      `corrupt header: it lists ${2 ** 40} tensors and 23 metadata keys, more than ${full.length} bytes can hold (at most 1048576 of each)`,
    );
    // 60,000 keys would need at least 780,000 bytes: more than the file has.
    expect(problem(check('kvs.gguf', patched(16, 60_000, 8)))).toMatch(
      /^corrupt header: it lists 21 tensors and 60000 metadata keys/,
    );
    expect(problem(check('huge-u64.gguf', patched(8, 0, 4).fill(0xff, 8, 16)))).toBe(
      'corrupt header: the tensor count is 18446744073709551615',
    );
    expect(problem(check('key-length.gguf', patched(24, 2 ** 40, 8)))).toBe(
      `corrupt header: key 0 is ${2 ** 40} bytes long`,
    );
    // The first key's value type (after the u64 length and the key's bytes).
    const keyLen = Number(full.readBigUInt64LE(24));
    expect(full.toString('utf8', 32, 32 + keyLen)).toBe('general.architecture');
    expect(problem(check('type.gguf', patched(32 + keyLen, 99, 4)))).toBe(
      'corrupt header: general.architecture has unknown value type 99',
    );
    expect(problem(check('short-header.gguf', full.subarray(0, 2000)))).toMatch(
      /^truncated header: it needs at least \d+ bytes, the file has 2000$/,
    );
    expect(problem(check('short-data.gguf', full.subarray(0, full.length - 1000)))).toBe(
      `truncated: the tensor data needs ${checkOk(good).data_end} bytes, the file has ${full.length - 1000}`,
    );
  });

  it('checks general.alignment and tensor infos', () => {
    const o = resolveSynthOptions({ vocab: 300 });
    const odd = join(dir, 'align.gguf');
    writeGguf(odd, [...llamaMetadata(o), ['general.alignment', { type: 'u32', value: 24 }]], llamaTensors(o));
    expect(problem(checkGgufFile(odd))).toBe('corrupt header: general.alignment is 24, not a power of two');
    const none = join(dir, 'none.gguf');
    writeGguf(none, llamaMetadata(o), []);
    expect(problem(checkGgufFile(none))).toBe('the header lists no tensors (no weights to serve)');
    // What only llama.cpp knows passes: a tensor missing from a well-formed file is found at load.
    const missing = join(dir, 'missing-tensor.gguf');
    writeGguf(
      missing,
      llamaMetadata(o),
      llamaTensors(o).filter((t) => t.name !== 'blk.1.ffn_down.weight'),
    );
    expect(checkGgufFile(missing).ok).toBe(true);
  });

  it('never throws for a path that is not a readable file', () => {
    expect(problem(checkGgufFile(join(dir, 'nope.gguf')))).toBe('model file not found');
    expect(problem(checkGgufFile(dir))).toBe('not a file (a GGUF model is one .gguf file)');
  });
});

function checkOk(path: string) {
  const r = checkGgufFile(path);
  if (!r.ok) throw new Error(r.problem);
  return r.header;
}
