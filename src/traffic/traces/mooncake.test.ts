import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openTrace } from './formats.js';
import { drain, fixture } from './testkit.js';

describe('mooncake reader', () => {
  it('reads hash_ids as 512-token prefix blocks, times after the first row', () => {
    const rows = drain(openTrace(fixture('mooncake-small.jsonl'), 'mooncake'));
    expect(rows).toEqual([
      { t_ms: 0, prompt_tokens: 600, output_tokens: 50, prefix_blocks: [0, 1], block_tokens: 512 },
      { t_ms: 0, prompt_tokens: 1100, output_tokens: 20, prefix_blocks: [0, 1, 2], block_tokens: 512 },
      { t_ms: 3000, prompt_tokens: 512, output_tokens: 3, prefix_blocks: [3], block_tokens: 512 },
      { t_ms: 6000, prompt_tokens: 1600, output_tokens: 9, prefix_blocks: [0, 1, 2, 4], block_tokens: 512 },
    ]);
  });

  it('fails on broken JSON with its line, and skips it when asked (blank lines are not rows)', () => {
    expect(() => drain(openTrace(fixture('mooncake-bad.jsonl'), 'mooncake'))).toThrow(
      /mooncake-bad.jsonl:2:\d+: not valid JSON/,
    );
    const src = openTrace(fixture('mooncake-bad.jsonl'), 'mooncake', { on_bad_row: 'skip' });
    expect(drain(src).map((r) => r.prompt_tokens)).toEqual([600, 512, 1600]);
    expect(src.skipped).toBe(2);
  });

  it('names a negative length on its line', () => {
    const p = join(mkdtempSync(join(tmpdir(), 'routesim-mc-')), 'neg.jsonl');
    writeFileSync(
      p,
      '{"timestamp": 0, "input_length": 5, "output_length": 1}\n{"timestamp": 1, "input_length": -1, "output_length": 1}',
    );
    expect(() => drain(openTrace(p, 'mooncake'))).toThrow(
      /neg.jsonl:2:\d+: input_length must be a whole number >= 0, got '-1'/,
    );
  });
});
