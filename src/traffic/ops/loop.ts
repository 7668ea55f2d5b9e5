/**
 * A trace played again and again: pass k is a fresh reading (`open()`) with every time shifted by
 * k * period_ms. Endless: put a horizon after it. A pass that yields nothing ends the loop; a period <= 0
 * throws RangeError (it would never reach a horizon). `skipped` counts bad rows over all passes.
 *
 * With period = the trace's span (last - first row), the last row of a pass and the first of the next land
 * at the same time; that is the documented meaning of "shifted by its span".
 */
import type { ArrivalRecord, RequestSource } from '../source.js';

export function looped(open: () => RequestSource, periodMs: number): RequestSource {
  if (!(periodMs > 0)) throw new RangeError(`loop: the trace's span must be > 0 ms, got ${periodMs}`);
  let cur: RequestSource | null = open();
  let pass = 0;
  let inPass = 0;
  let skippedBefore = 0;
  return {
    get skipped() {
      return skippedBefore + (cur?.skipped ?? 0);
    },
    next(): ArrivalRecord | null {
      while (cur !== null) {
        const r = cur.next();
        if (r !== null) {
          inPass++;
          r.t_ms += pass * periodMs;
          return r;
        }
        skippedBefore += cur.skipped ?? 0;
        cur.close?.();
        if (inPass === 0) {
          cur = null;
          return null;
        }
        pass++;
        inPass = 0;
        cur = open();
      }
      return null;
    },
    close: () => cur?.close?.(),
  };
}
