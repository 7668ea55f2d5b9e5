/**
 * Numeric flags typed wrong: yargs turned `--rel-tol abc` into NaN and the message said "got NaN". Each
 * is now exit 2 with the value as typed, checked before any file is read (the scenario need not exist).
 */
import { describe, expect, it } from 'vitest';
import { main } from '../src/cli/index.js';
import { numberFlag } from '../src/cli/number-flag.js';
import { UserError } from '../src/core/errors.js';

async function run(args: string[]): Promise<{ code: number; err: string }> {
  const err: string[] = [];
  const io = { stdout: () => {}, stderr: (s: string) => err.push(s), isTTY: false };
  const code = await main(args, io);
  return { code, err: err.join('') };
}

describe('numeric flags show the value as typed', () => {
  it.each([
    [['check', 'none.yaml', '--rel-tol', 'abc'], "--rel-tol must be a number >= 0, got 'abc'"],
    [['check', 'none.yaml', '--abs-tol', '-1'], "--abs-tol must be a number >= 0, got '-1'"],
    [['check', 'none.yaml', '--abs-tol', ''], "--abs-tol must be a number >= 0, got ''"],
    [
      ['sweep', 'none.yaml', '--set', 'a=1', '--replications', 'many'],
      "--replications must be a positive integer, got 'many'",
    ],
    [
      ['sweep', 'none.yaml', '--set', 'a=1', '--workers', '2.5'],
      "--workers must be a positive integer, got '2.5'",
    ],
    [['sweep', 'none.yaml', '--set', 'a=1', '--seed', 'x'], "--seed must be an integer, got 'x'"],
    [
      ['compare', 'none.yaml', '--replications', 'two'],
      "--replications must be a positive integer, got 'two'",
    ],
    [['compare', 'none.yaml', '--workers', '0'], "--workers must be a positive integer, got '0'"],
    [['compare', 'none.yaml', '--seed', 'abc'], "--seed must be an integer, got 'abc'"],
    [['run', 'none.yaml', '--live', '--speed', 'fast'], "--speed must be a number > 0, got 'fast'"],
    [['run', 'none.yaml', '--seed', 'abc'], "--seed must be an integer, got 'abc'"],
    // Flags yargs parses as numbers: caught before the command runs (each once said "got NaN").
    [['fidelity', '--benchmark', 'none', '--max-error', 'abc'], "--max-error must be a number, got 'abc'"],
    [['fidelity', '--benchmark', 'none', '--seed=x1'], "--seed must be a number, got 'x1'"],
    [['gguf', 'synth', 'none.gguf', '--layers', 'abc'], "--layers must be a number, got 'abc'"],
    [['calibrate', 'none.gguf', '--max-seqs', 'many'], "--max-seqs must be a number, got 'many'"],
    [['validate', 'none.yaml', '--seed', 'y'], "--seed must be a number, got 'y'"],
  ])('%j: exit 2, %s', async (args, message) => {
    const r = await run(args);
    expect(r.code).toBe(2);
    expect(r.err).toContain(message);
    expect(r.err).not.toContain('NaN');
  });

  it('parses good values, keeps numbers from callers and leaves absent flags undefined', () => {
    expect(numberFlag('--rel-tol', '0.25', 'non-negative')).toBe(0.25);
    expect(numberFlag('--rel-tol', '0', 'non-negative')).toBe(0);
    expect(numberFlag('--workers', 3, 'positive-integer')).toBe(3);
    expect(numberFlag('--seed', '-7', 'integer')).toBe(-7);
    expect(numberFlag('--speed', '1e3', 'positive')).toBe(1000);
    expect(numberFlag('--speed', undefined, 'positive')).toBeUndefined();
    expect(() => numberFlag('--speed', '0', 'positive')).toThrow(UserError);
    expect(() => numberFlag('--rel-tol', 'Infinity', 'non-negative')).toThrow(/got 'Infinity'/);
  });
});
