import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../core/errors.js';
import { splitCsv } from './csv-split.js';
import { openTrace } from './formats.js';
import { drain, fixture } from './testkit.js';

const dir = mkdtempSync(join(tmpdir(), 'routesim-csv-'));

describe('generic csv reader', () => {
  it('maps columns by name, with a time unit and a delimiter', () => {
    const columns = {
      time: 'when_ms',
      time_unit: 'ms',
      prompt: 'in',
      output: 'out',
      session: 'user',
      tags: 'team',
      delimiter: ';',
    };
    const rows = drain(openTrace(fixture('generic.csv'), 'csv', { columns }));
    expect(rows).toEqual([
      { t_ms: 0, prompt_tokens: 100, output_tokens: 10, session_id: 'u1', tags: ['a', 'b'] },
      { t_ms: 500, prompt_tokens: 200, output_tokens: 20, session_id: 'u2' },
      { t_ms: 3000, prompt_tokens: 300, output_tokens: 30, session_id: 'u1', tags: ['c'] },
    ]);
  });

  it('takes the record field names as keys too', () => {
    const columns = {
      timestamp: 'when_ms',
      time_unit: 'ms',
      prompt_tokens: 'in',
      output_tokens: 'out',
      session_id: 'user',
      delimiter: ';',
    };
    const rows = drain(openTrace(fixture('generic.csv'), 'csv', { columns }));
    expect(rows.map((r) => [r.t_ms, r.session_id, r.prompt_tokens, r.output_tokens])).toEqual([
      [0, 'u1', 100, 10],
      [500, 'u2', 200, 20],
      [3000, 'u1', 300, 30],
    ]);
  });

  it('reads date-time columns', () => {
    const p = join(dir, 'dt.csv');
    writeFileSync(p, 'ts,p,o\n2024-01-01 00:00:59.5,1,2\n2024-01-01 00:01:00.25,3,4\n');
    const rows = drain(
      openTrace(p, 'csv', { columns: { time: 'ts', time_unit: 'datetime', prompt: 'p', output: 'o' } }),
    );
    expect(rows.map((r) => r.t_ms)).toEqual([0, 750]);
  });

  it('reports every problem of a mapping at once', () => {
    let err: unknown;
    try {
      openTrace(fixture('generic.csv'), 'csv', { columns: { tim: 'x', time_unit: 'h', prompt: 'in' } });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(UserError);
    expect((err as UserError).problems.map((p) => p.message)).toEqual([
      "unknown key 'tim' (known: timestamp, prompt_tokens, output_tokens, session_id, preferred_model, tenant, priority, tags, time_unit, delimiter)",
      "'timestamp' is required",
      "'output_tokens' is required",
      "time_unit must be s, ms, us, ns or datetime, got 'h'",
    ]);
  });

  it('names a mapped column missing from the header', () => {
    const src = openTrace(fixture('generic.csv'), 'csv', {
      columns: { time: 'when', prompt: 'in', output: 'out', delimiter: ';' },
    });
    expect(() => src.next()).toThrow(
      /generic.csv:1:\d+: not a valid header: header has no timestamp column 'when'/,
    );
  });
});

describe('splitCsv', () => {
  it('handles quotes, doubled quotes and empty fields', () => {
    expect(splitCsv('a,"b,c",,"say ""hi"""')).toEqual(['a', 'b,c', '', 'say "hi"']);
    expect(splitCsv('x\ty', '\t')).toEqual(['x', 'y']);
  });
});
