/**
 * A scenario's trace traffic as a source, with the trace operations applied in this order:
 * window (start..end, shifted to 0) -> sample (fraction, seeded) -> loop (shifted by the span) ->
 * time scale (1 / speed, or measured rate / target_rate). The caller applies the horizon.
 *
 * target_rate: the measured rate is rows / span of the windowed trace (one extra streaming pass), times the
 * sample fraction, so the target holds in expectation. loop: the period is the window's length when a window
 * is set, else the span (last - first row) of the trace; looping needs a finite horizon.
 * Throws UserError for bad files, rows (on_bad_row: fail) or impossible options.
 */
import { UserError } from '../../core/errors.js';
import { MAX_REQUESTS } from '../../core/limits.js';
import type { TraceTraffic } from '../../core/types.js';
import type { Rng } from '../../engine/rng.js';
import { looped } from '../ops/loop.js';
import { measure } from '../ops/measure.js';
import { sampled } from '../ops/sample.js';
import { timeScaled } from '../ops/scale.js';
import { windowed } from '../ops/window.js';
import type { RequestSource } from '../source.js';
import { openTrace } from './formats.js';

export function openTraceTraffic(t: TraceTraffic, rng: Rng, horizonMs: number): RequestSource {
  const bad = (message: string) => new UserError(message, [{ file: t.path, line: 0, column: 0, message }]);
  if (!(t.sample > 0 && t.sample <= 1)) throw bad(`sample must be in (0, 1], got ${t.sample}`);
  if (t.target_rate === null && !(t.speed > 0)) throw bad(`speed must be > 0, got ${t.speed}`);
  if (t.target_rate !== null && !(t.target_rate > 0))
    throw bad(`target_rate must be > 0, got ${t.target_rate}`);
  if (t.window && !(t.window.end_ms > t.window.start_ms)) throw bad('window end must be after its start');
  if (t.loop && !Number.isFinite(horizonMs)) throw bad('loop needs a finite duration (the horizon)');

  const openWindowed = (): RequestSource => {
    const r = openTrace(t.path, t.format, { on_bad_row: t.on_bad_row, columns: t.columns });
    return t.window ? windowed(r, t.window.start_ms, t.window.end_ms) : r;
  };
  const needExtent = t.target_rate !== null || (t.loop && !(t.window && Number.isFinite(t.window.end_ms)));
  const extent = needExtent ? measure(openWindowed()) : null;

  let factor = 1;
  if (t.target_rate !== null) {
    const e = extent!;
    if (e.rows < 2 || e.span_ms <= 0) throw bad('target_rate needs a trace with at least two distinct times');
    const measured = (e.rows * t.sample) / (e.span_ms / 1000);
    factor = measured / t.target_rate;
  } else factor = 1 / t.speed;

  let src: RequestSource;
  if (t.loop) {
    const period =
      t.window && Number.isFinite(t.window.end_ms) ? t.window.end_ms - t.window.start_ms : extent!.span_ms;
    if (!(period > 0)) throw bad('loop needs a trace whose span is > 0');
    // Each pass replays the window's rows again: a short trace looped over a long horizon is many passes.
    const passes = horizonMs / (period * factor);
    const rows = extent ? extent.rows * t.sample * passes : 0;
    if (rows > MAX_REQUESTS) {
      throw bad(
        `looping this trace (${period} ms a pass) over the horizon replays about ${Number(rows.toPrecision(3))} requests; a run creates at most ${MAX_REQUESTS}: shorten the duration or sample the trace`,
      );
    }
    src = looped(() => sampled(openWindowed(), t.sample, rng), period);
  } else src = sampled(openWindowed(), t.sample, rng);
  return timeScaled(src, factor, t.path);
}
