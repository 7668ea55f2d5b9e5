import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readGgufFileInfo } from 'node-llama-cpp';
import { afterAll, describe, expect, it } from 'vitest';
import { UserError } from '../../core/errors.js';
import { FIRST_BYTE_TOKEN, resolveSynthOptions, synthesizeGguf, TOKEN_BOS, TOKEN_EOS } from './synth.js';

const dir = mkdtempSync(join(tmpdir(), 'routesim-synth-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('synthesizeGguf', () => {
  it('writes a llama GGUF whose metadata and tensors read back as written', async () => {
    const path = join(dir, 'a.gguf');
    const r = synthesizeGguf(path, { layers: 3, width: 32, heads: 2, vocab: 300, ff: 64, context: 256 });
    // embeddings + output: 2 × 32 × 300; per layer: q, k, v, o (32×32 each), gate/up/down (32×64 each), 2 norms
    const perLayer = 4 * 32 * 32 + 3 * 32 * 64 + 2 * 32;
    expect(r.parameters).toBe(2 * 32 * 300 + 3 * perLayer + 32);
    expect(statSync(path).size).toBe(r.bytes);
    const info = await readGgufFileInfo(path, { logWarnings: false });
    expect(info.version).toBe(3);
    expect(info.metadata.general.architecture).toBe('llama');
    const arch = info.architectureMetadata;
    expect(arch.context_length).toBe(256);
    expect(arch.embedding_length).toBe(32);
    expect(arch.block_count).toBe(3);
    expect(arch.feed_forward_length).toBe(64);
    expect(arch.attention?.head_count).toBe(2);
    expect(arch.rope?.dimension_count).toBe(16);
    const tok = info.metadata.tokenizer.ggml;
    expect(tok.model).toBe('llama');
    expect(tok.tokens.length).toBe(300);
    expect(tok.tokens[FIRST_BYTE_TOKEN + 0x41]).toBe('<0x41>');
    expect(tok.token_type?.[FIRST_BYTE_TOKEN]).toBe(6);
    expect(tok.token_type?.[TOKEN_BOS]).toBe(3);
    expect(tok.eos_token_id).toBe(TOKEN_EOS);
    expect(info.tensorInfo?.length).toBe(2 + 3 * 9 + 1);
    const out = info.tensorInfo?.find((t) => t.name === 'output.weight');
    expect(out?.dimensions.map(Number)).toEqual([32, 300]);
    for (const t of info.tensorInfo ?? []) expect(Number(t.offset) % 32).toBe(0);
  });

  it('is deterministic in its seed, and f16 halves the matrices', () => {
    const a = synthesizeGguf(join(dir, 's1.gguf'), { seed: 7 });
    const b = synthesizeGguf(join(dir, 's2.gguf'), { seed: 7 });
    const c = synthesizeGguf(join(dir, 's3.gguf'), { seed: 8 });
    expect(readFileSync(a.path).equals(readFileSync(b.path))).toBe(true);
    expect(readFileSync(a.path).equals(readFileSync(c.path))).toBe(false);
    const h = synthesizeGguf(join(dir, 'h.gguf'), { seed: 7, type: 'f16' });
    expect(h.parameters).toBe(a.parameters);
    expect(h.bytes).toBeLessThan(a.bytes * 0.6);
  });

  it('rejects impossible shapes with every problem named', () => {
    expect(() => resolveSynthOptions({ width: 30, heads: 4, vocab: 100 })).toThrow(UserError);
    try {
      resolveSynthOptions({ width: 30, heads: 4, vocab: 100 });
    } catch (e) {
      expect((e as Error).message).toMatch(/--vocab must be at least 259/);
      expect((e as Error).message).toMatch(/--width \(30\) must be a multiple of --heads \(4\)/);
    }
    expect(() => resolveSynthOptions({ width: 12, heads: 4 })).toThrow(/head size .* must be even/);
    expect(resolveSynthOptions({ width: 96 }).ff).toBe(256);
  });
});
