/** Multiplies every record's time by `factor` (speed s is factor 1/s; a target rate is measured rate / target). */
import { UserError } from '../../core/errors.js';
import { MAX_TIME_MS, showMs } from '../../core/limits.js';
import type { ArrivalRecord, RequestSource } from '../source.js';

/**
 * The records of `src`, times multiplied by `factor`. Throws UserError (naming `label`, the trace) when a
 * scaled time passes MAX_TIME_MS: a slow replay of a long trace would be more than a run simulates.
 */
export function timeScaled(src: RequestSource, factor: number, label = 'trace'): RequestSource {
  if (factor === 1) return src;
  return {
    get skipped() {
      return src.skipped ?? 0;
    },
    next(): ArrivalRecord | null {
      const r = src.next();
      if (r === null) return r;
      const t = r.t_ms * factor;
      if (!(t <= MAX_TIME_MS)) {
        src.close?.();
        const message = `replayed at ${Number((1 / factor).toPrecision(4))}x, a row at ${r.t_ms} ms lands at ${Number(t.toPrecision(4))} ms, past the ${showMs(MAX_TIME_MS)} a run simulates; raise speed or target_rate, or replay a window`;
        throw new UserError(`${label}: ${message}`, [{ file: label, line: 0, column: 0, message }]);
      }
      r.t_ms = t;
      return r;
    },
    close: () => src.close?.(),
  };
}
