import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { UserError } from '../../core/errors.js';
import { writeNative } from '../convert.js';
import { openTrace } from './formats.js';
import { drain, fixture } from './testkit.js';

const dir = mkdtempSync(join(tmpdir(), 'routesim-native-'));

describe('native reader and writer', () => {
  it('reads every field, times as written (not shifted)', () => {
    const rows = drain(openTrace(fixture('native-small.jsonl'), 'native'));
    expect(rows).toEqual([
      {
        t_ms: 250,
        prompt_tokens: 812,
        output_tokens: 64,
        session_id: 's3',
        preferred_model: 'llama-70b',
        capabilities: ['json'],
        tags: ['team:search'],
        prefix_blocks: [0, 17, 18],
        block_tokens: 512,
        priority: 1,
        tenant: 'code',
      },
      { t_ms: 1250.5, prompt_tokens: 10, output_tokens: 1 },
    ]);
  });

  it('round-trips through writeNative byte for byte', () => {
    const out = join(dir, 'copy.jsonl');
    expect(writeNative(openTrace(fixture('native-small.jsonl'), 'native'), out)).toBe(2);
    const again = join(dir, 'again.jsonl');
    writeNative(openTrace(out, 'native'), again);
    expect(readFileSync(again, 'utf8')).toBe(readFileSync(out, 'utf8'));
    expect(drain(openTrace(out, 'native'))).toEqual(
      drain(openTrace(fixture('native-small.jsonl'), 'native')),
    );
  });

  it('rejects unknown fields and wrong types on their line', () => {
    const p = join(dir, 'bad.jsonl');
    writeFileSync(
      p,
      [
        '{"t_ms": 0, "prompt_tokens": 1, "output_tokens": 1}',
        '{"t_ms": 1, "prompt_tokens": 1, "output_tokens": 1, "sesion_id": "x"}',
        '{"t_ms": 2, "prompt_tokens": 1, "output_tokens": 1, "tags": "x"}',
        '{"t_ms": 1, "prompt_tokens": 1, "output_tokens": 1}',
      ].join('\n'),
    );
    expect(() => drain(openTrace(p, 'native'))).toThrow(/bad.jsonl:2:\d+: unknown field 'sesion_id'/);
    const src = openTrace(p, 'native', { on_bad_row: 'skip' });
    expect(drain(src).length).toBe(2);
    expect(src.skipped).toBe(2);
  });

  it('treats a time that goes backwards as a bad row', () => {
    const p = join(dir, 'back.jsonl');
    writeFileSync(
      p,
      '{"t_ms": 5, "prompt_tokens": 1, "output_tokens": 1}\n{"t_ms": 4, "prompt_tokens": 1, "output_tokens": 1}\n',
    );
    expect(() => drain(openTrace(p, 'native'))).toThrow(/back.jsonl:2:\d+: time goes backwards/);
  });
  it('writes t_ms to the microsecond, without the float noise of rebased epoch timestamps', () => {
    // 18:17:04.0319600 - 18:17:03.9799600 is 52 ms; as doubles near 1.7e12 ms such differences come out
    // as 98.18899999999985 and the like.
    const src = join(dir, 'noisy.csv');
    writeFileSync(
      src,
      'TIMESTAMP,ContextTokens,GeneratedTokens\n2023-11-16 18:17:03.9799600,1,1\n2023-11-16 18:17:04.0781490,1,1\n2023-11-16 18:17:04.1206440,1,1\n',
    );
    const out = join(dir, 'noisy.jsonl');
    expect(writeNative(openTrace(src, 'azure'), out)).toBe(3);
    const t = readFileSync(out, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l).t_ms);
    expect(t).toEqual([0, 98.189, 140.684]);
  });

  it('refuses a time past a year as a bad row, at its line and column (an epoch timestamp)', () => {
    const p = join(dir, 'epoch.jsonl');
    writeFileSync(
      p,
      '{"t_ms": 0, "prompt_tokens": 1, "output_tokens": 1}\n{"t_ms": 1733000000000, "prompt_tokens": 1, "output_tokens": 1}\n',
    );
    let problem: unknown;
    try {
      drain(openTrace(p, 'native'));
    } catch (err) {
      problem = (err as UserError).problems[0];
    }
    expect(problem).toEqual({
      file: p,
      line: 2,
      column: 10,
      message:
        'time 1733000000000 ms (55.0 years from the run start) is past the 365d a run simulates; an epoch timestamp? t_ms counts ms from the start',
    });
    // A year exactly is accepted; skip drops the row and plays the rest.
    writeFileSync(
      p,
      '{"t_ms": 31536000000, "prompt_tokens": 1, "output_tokens": 1}\n{"t_ms": 31536000001, "prompt_tokens": 1, "output_tokens": 1}\n',
    );
    const src = openTrace(p, 'native', { on_bad_row: 'skip' });
    expect(drain(src).map((r) => r.t_ms)).toEqual([31_536_000_000]);
    expect(src.skipped).toBe(1);
  });
});
