import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../core/errors.js';
import { openTrace } from './formats.js';
import { charColumn } from './row.js';
import { drain, fixture } from './testkit.js';

const dir = mkdtempSync(join(tmpdir(), 'routesim-column-'));

/** The first problem of the UserError that draining `path` throws. */
function problemOf(path: string, format: Parameters<typeof openTrace>[1], opts = {}) {
  try {
    drain(openTrace(path, format, opts));
  } catch (e) {
    expect(e).toBeInstanceOf(UserError);
    return (e as UserError).problems[0];
  }
  throw new Error('expected a bad row');
}

describe('charColumn', () => {
  it('finds the character where a CSV field starts, quotes respected', () => {
    expect(charColumn('a,bb,ccc', 1)).toBe(1);
    expect(charColumn('a,bb,ccc', 3)).toBe(6);
    expect(charColumn('"x,y",z', 2)).toBe(7);
    expect(charColumn('a;b', 2, ';')).toBe(3);
    expect(charColumn('a,b', 5)).toBe(1);
  });

  it("finds where a JSON key's value starts, else 1", () => {
    expect(charColumn('{"t_ms": 0, "tags": "x"}', 'tags')).toBe(21);
    expect(charColumn('{"note": "tags", "tags":1}', 'tags')).toBe(25);
    expect(charColumn('{"t_ms": 0}', 'tags')).toBe(1);
  });
});

describe('bad-row columns are character columns, not field numbers', () => {
  it('azure: the column where the bad value starts', () => {
    // line 3 is `2023-11-16 18:17:04.0319600,3180,eight`: eight starts at character 34
    expect(problemOf(fixture('azure-bad.csv'), 'azure')).toMatchObject({ line: 3, column: 34 });
  });

  it('burstgpt: counts a quoted field with a comma inside as one field', () => {
    const p = join(dir, 'q.csv');
    writeFileSync(p, 'Timestamp,Model,Request tokens,Response tokens\n5,"GPT,4",12,x\n');
    expect(problemOf(p, 'burstgpt')).toMatchObject({ line: 2, column: 14 });
  });

  it('generic csv: uses the mapping delimiter', () => {
    const p = join(dir, 'd.csv');
    writeFileSync(p, 'ts;p;o\n1;2;3\n2;20;-4\n');
    const columns = { time: 'ts', prompt: 'p', output: 'o', delimiter: ';' };
    expect(problemOf(p, 'csv', { columns })).toMatchObject({ line: 3, column: 6 });
  });

  it("native and mooncake: the column of the offending key's value", () => {
    const p = join(dir, 'n.jsonl');
    writeFileSync(p, '{"t_ms": 0, "prompt_tokens": 1, "output_tokens": "many"}\n');
    expect(problemOf(p, 'native')).toMatchObject({ line: 1, column: 50 });
    const m = join(dir, 'm.jsonl');
    writeFileSync(m, '{"timestamp": 0, "input_length": -3, "output_length": 1}\n');
    expect(problemOf(m, 'mooncake')).toMatchObject({ line: 1, column: 34 });
    const bad = join(dir, 'bad.jsonl');
    writeFileSync(bad, '{"t_ms": 0,\n');
    expect(problemOf(bad, 'native')).toMatchObject({ line: 1, column: 1 });
  });
});
