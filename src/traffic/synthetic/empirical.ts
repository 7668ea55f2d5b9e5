/**
 * Length distributions taken from a recorded trace: `empiricalFromTrace(path, format, column)` streams the
 * trace and returns `{ dist: 'empirical', samples }` with the column's values, so synthetic traffic can
 * draw prompt or output lengths the way that service saw them. Past `maxSamples` values (default 200,000)
 * it keeps a uniform reservoir sample (seeded, so the same file gives the same samples).
 * Throws UserError for an unreadable trace or bad rows (on_bad_row as given, default fail) and when the
 * trace has no rows.
 */

import type { Distribution } from '../../core/distributions/kinds.js';
import { UserError } from '../../core/errors.js';
import { SeededRng } from '../../engine/rng.js';
import { type OpenOptions, openTrace, type TraceFormat } from '../traces/formats.js';

export type LengthColumn = 'prompt_tokens' | 'output_tokens';

export function empiricalFromTrace(
  path: string,
  format: TraceFormat,
  column: LengthColumn,
  opts: OpenOptions & { maxSamples?: number } = {},
): Distribution & { dist: 'empirical' } {
  const max = opts.maxSamples ?? 200_000;
  const rng = new SeededRng(`empirical/${column}`);
  const samples: number[] = [];
  const src = openTrace(path, format, opts);
  let seen = 0;
  for (let r = src.next(); r !== null; r = src.next()) {
    const v = r[column];
    seen++;
    if (samples.length < max) samples.push(v);
    else {
      const j = Math.floor(rng.next() * seen);
      if (j < max) samples[j] = v;
    }
  }
  if (samples.length === 0) {
    const message = `no rows to take ${column} samples from`;
    throw new UserError(message, [{ file: path, line: 0, column: 0, message }]);
  }
  return { dist: 'empirical', samples };
}
