/** Shared by the trace tests: fixture paths, a trace traffic section, and draining a source. */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TraceTraffic } from '../../core/types.js';
import type { ArrivalRecord, RequestSource } from '../source.js';

export const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '../../../test/fixtures/traces');

export function fixture(name: string): string {
  return join(FIXTURES, name);
}

/** A loaded `traffic: { trace }` section replaying `path` as written (speed 1, every row, no loop), then `over`. */
export function traceTraffic(
  path: string,
  format: TraceTraffic['format'],
  over: Partial<TraceTraffic> = {},
): TraceTraffic {
  return {
    kind: 'trace',
    path,
    format,
    speed: 1,
    target_rate: null,
    window: null,
    sample: 1,
    loop: false,
    on_bad_row: 'fail',
    columns: null,
    tenant: null,
    ...over,
  };
}

/** Every record of a source, copied (sources may reuse objects). */
export function drain(src: RequestSource): ArrivalRecord[] {
  const out: ArrivalRecord[] = [];
  for (let r = src.next(); r !== null; r = src.next()) out.push({ ...r });
  return out;
}
