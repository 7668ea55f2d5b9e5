/**
 * `--record TRACE.jsonl`: every request the gateway finished, as a row of routesim's native trace
 * (traffic/traces/native.ts), so that `routesim run` replays exactly the traffic that was served. A row:
 * t_ms (arrival, ms since the gateway started), prompt_tokens, output_tokens (produced when it succeeded,
 * else asked for), session_id and preferred_model when the request had them, and tags
 * `model:<id>` (the model of its last attempt, `none` when rejected) and `outcome:<kind>` (tags do not
 * steer routing, so a replay routes afresh).
 *
 * Rows are kept in memory (about 150 bytes each) and written when the gateway closes, sorted by arrival
 * (requests finish out of order; a native trace is in time order), as one atomic file: it appears whole
 * or not at all.
 */
import { writeFileAtomic } from '../core/output/atomic-file.js';
import type { ArrivalRecord } from '../traffic/source.js';

export class TraceRecorder {
  private readonly rows: { t: number; seq: number; line: string }[] = [];

  constructor(
    readonly path: string,
    private readonly inputs: readonly string[] = [],
  ) {}

  add(row: ArrivalRecord): void {
    this.rows.push({ t: row.t_ms, seq: this.rows.length, line: JSON.stringify(row) });
  }

  get count(): number {
    return this.rows.length;
  }

  /** Write the file (sorted by arrival, ties in finishing order). Throws UserError if it cannot be written. */
  close(): void {
    const rows = [...this.rows].sort((a, b) => a.t - b.t || a.seq - b.seq);
    const text = rows.map((r) => `${r.line}\n`).join('');
    writeFileAtomic(this.path, text, { label: '--record', inputs: this.inputs });
  }
}
