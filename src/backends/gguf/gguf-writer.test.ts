import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { GGUF_ALIGNMENT, GGUF_MAGIC, tensorBytes, toHalf, writeGguf } from './gguf-writer.js';

const dir = mkdtempSync(join(tmpdir(), 'routesim-gguf-writer-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('toHalf', () => {
  it('encodes exact halves, rounding and the special values', () => {
    expect(toHalf(0)).toBe(0x0000);
    expect(toHalf(-0)).toBe(0x8000);
    expect(toHalf(1)).toBe(0x3c00);
    expect(toHalf(-2)).toBe(0xc000);
    expect(toHalf(0.5)).toBe(0x3800);
    expect(toHalf(65504)).toBe(0x7bff); // largest half
    expect(toHalf(1e6)).toBe(0x7c00); // overflow -> +Inf
    expect(toHalf(Number.NaN) & 0x7c00).toBe(0x7c00);
    expect(toHalf(2 ** -24)).toBe(0x0001); // smallest subnormal
    expect(toHalf(1 + 2 ** -11)).toBe(0x3c00); // halfway, ties to even
    expect(toHalf(1 + 3 * 2 ** -11)).toBe(0x3c02); // halfway, ties to even (up)
  });
});

describe('writeGguf', () => {
  it('writes the v3 header, kv pairs, tensor infos and 32-byte aligned data', () => {
    const path = join(dir, 'w.gguf');
    const size = writeGguf(
      path,
      [
        ['general.architecture', { type: 'string', value: 'llama' }],
        ['x.n', { type: 'u32', value: 7 }],
      ],
      [
        { name: 'a', dims: [3], type: 'f32', fill: (n) => Float32Array.from({ length: n }, (_, i) => i + 1) },
        { name: 'b', dims: [2, 2], type: 'f16', fill: (n) => new Float32Array(n).fill(1) },
      ],
    );
    const buf = readFileSync(path);
    expect(buf.length).toBe(size);
    expect(buf.readUInt32LE(0)).toBe(GGUF_MAGIC);
    expect(buf.subarray(0, 4).toString('latin1')).toBe('GGUF');
    expect(buf.readUInt32LE(4)).toBe(3);
    expect(buf.readBigUInt64LE(8)).toBe(2n); // tensors
    expect(buf.readBigUInt64LE(16)).toBe(2n); // kvs
    // first key: u64 length 20 + "general.architecture", type 8 (string), u64 5 + "llama"
    expect(buf.readBigUInt64LE(24)).toBe(20n);
    expect(buf.subarray(32, 52).toString()).toBe('general.architecture');
    expect(buf.readUInt32LE(52)).toBe(8);
    // tensor a is 12 bytes, padded to 32: b's data starts 32 bytes after a's
    expect(tensorBytes({ dims: [3], type: 'f32' })).toBe(12);
    const dataStart = size - 32 - 32; // a (12 -> 32) then b (8 -> 32)
    expect(dataStart % GGUF_ALIGNMENT).toBe(0);
    expect(buf.readFloatLE(dataStart)).toBe(1);
    expect(buf.readFloatLE(dataStart + 8)).toBe(3);
    expect(buf.readUInt16LE(dataStart + 32)).toBe(0x3c00);
  });

  it('rejects a fill of the wrong length', () => {
    expect(() =>
      writeGguf(
        join(dir, 'bad.gguf'),
        [],
        [{ name: 't', dims: [4], type: 'f32', fill: () => new Float32Array(3) }],
      ),
    ).toThrow(/tensor t: fill gave 3 values, expected 4/);
  });
});
