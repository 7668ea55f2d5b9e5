import { describe, expect, it } from 'vitest';
import { UserError } from '../../core/errors.js';
import { openTrace } from './formats.js';
import { drain, fixture } from './testkit.js';

describe('azure reader', () => {
  it('reads CRLF rows with 7-digit timestamps as ms after the first row', () => {
    const rows = drain(openTrace(fixture('azure-small.csv'), 'azure'));
    expect(rows.map((r) => r.prompt_tokens)).toEqual([4808, 3180, 110, 7437, 1]);
    expect(rows.map((r) => r.output_tokens)).toEqual([10, 8, 27, 251, 1]);
    const t = rows.map((r) => r.t_ms);
    expect(t[0]).toBe(0);
    expect(t[1]).toBeCloseTo(0.0001, 9);
    expect(t[2]).toBeCloseTo(52, 9);
    expect(t[3]).toBeCloseTo(1520.04, 9);
    expect(t[4]).toBeCloseTo(61000, 9);
  });

  it('names the file and line of a bad row (on_bad_row: fail)', () => {
    const src = openTrace(fixture('azure-bad.csv'), 'azure');
    expect(src.next()?.prompt_tokens).toBe(4808);
    let err: unknown;
    try {
      src.next();
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(UserError);
    const u = err as UserError;
    expect(u.message).toContain('azure-bad.csv:3:');
    expect(u.message).toContain("GeneratedTokens must be a whole number >= 0, got 'eight'");
    expect(u.problems[0]).toMatchObject({ line: 3, column: 34 }); // the character where `eight` starts
  });

  it('skips and counts bad rows (on_bad_row: skip)', () => {
    const src = openTrace(fixture('azure-bad.csv'), 'azure', { on_bad_row: 'skip' });
    const rows = drain(src);
    expect(rows.map((r) => r.prompt_tokens)).toEqual([4808, 100, 200]);
    expect(src.skipped).toBe(2);
    expect(rows[2].t_ms).toBeCloseTo(2020.04, 6);
  });

  it('rejects a file whose header is not Azure, whatever on_bad_row says', () => {
    expect(() => openTrace(fixture('burstgpt-small.csv'), 'azure', { on_bad_row: 'skip' }).next()).toThrow(
      /burstgpt-small.csv:1:\d+: not a valid header/,
    );
  });
});
