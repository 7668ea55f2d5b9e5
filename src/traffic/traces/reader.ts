/**
 * A trace as a RequestSource: lines from a LineReader, parsed by a format's RowParser. Blank lines are
 * ignored. A row that does not parse, whose time goes backwards or passes MAX_TIME_MS, is a bad row: with
 * on_bad_row 'fail' it throws UserError naming file:line:column; with 'skip' it is counted in `skipped`
 * and the rest plays.
 */
import { formatProblem, UserError } from '../../core/errors.js';
import { MAX_TIME_MS, showMs } from '../../core/limits.js';
import type { TraceTraffic } from '../../core/types.js';
import type { ArrivalRecord, RequestSource } from '../source.js';
import { LineReader } from './lines.js';
import { charColumn, RowError, type RowParser } from './row.js';

/** What to do with a malformed row (core/types.ts BAD_ROW_POLICIES). */
export type OnBadRow = TraceTraffic['on_bad_row'];

/** Why a row past MAX_TIME_MS is bad: most often an epoch timestamp where a time from the start belongs. */
function tooLate(t: number, rebased: boolean): string {
  const years = (t / (365 * 86_400_000)).toFixed(1);
  const from = rebased ? 'after the first row' : 'from the run start';
  return `time ${t} ms (${years} years ${from}) is past the ${showMs(MAX_TIME_MS)} a run simulates${t > 1e12 ? '; an epoch timestamp? t_ms counts ms from the start' : ''}`;
}

export class TraceReader implements RequestSource {
  skipped = 0;
  /** Good rows returned so far. */
  rows = 0;
  private readonly lines: LineReader;
  private started = false;
  private origin = Number.NaN;
  private last = Number.NEGATIVE_INFINITY;
  private done = false;

  /** Throws UserError when the file cannot be opened or its header is not this format's. */
  constructor(
    readonly path: string,
    private readonly parser: RowParser,
    private readonly onBadRow: OnBadRow,
  ) {
    try {
      this.lines = new LineReader(path);
    } catch (err) {
      const message = `cannot read trace: ${(err as Error).message}`;
      throw new UserError(message, [{ file: path, line: 0, column: 0, message }]);
    }
  }

  next(): ArrivalRecord | null {
    if (this.done) return null;
    for (;;) {
      const line = this.lines.next();
      if (line === null) {
        this.done = true;
        return null;
      }
      if (line.trim() === '') continue;
      if (!this.started) {
        this.started = true;
        let isHeader: boolean;
        try {
          isHeader = this.parser.header(line);
        } catch (err) {
          if (!(err instanceof RowError)) throw err;
          this.fail(`not a valid header: ${err.message}`, charColumn(line, err.at, this.parser.delimiter));
        }
        if (isHeader) continue;
      }
      try {
        const rec = this.parser.parse(line);
        if (this.parser.rebase) {
          if (Number.isNaN(this.origin)) this.origin = rec.t_ms;
          rec.t_ms -= this.origin;
        }
        if (rec.t_ms > MAX_TIME_MS) throw new RowError(tooLate(rec.t_ms, this.parser.rebase), 't_ms');
        if (rec.t_ms < this.last) {
          throw new RowError(
            `time goes backwards (${rec.t_ms} ms after ${this.last} ms); sort the trace first`,
          );
        }
        this.last = rec.t_ms;
        this.rows++;
        return rec;
      } catch (err) {
        if (!(err instanceof RowError)) throw err;
        if (this.onBadRow === 'skip') {
          this.skipped++;
          continue;
        }
        this.fail(err.message, charColumn(line, err.at, this.parser.delimiter));
      }
    }
  }

  private fail(message: string, column: number): never {
    this.close();
    const problem = { file: this.path, line: this.lines.lineNo, column, message };
    // The message is the problem itself, so the CLI prints the bad row once.
    throw new UserError(formatProblem(problem), [problem]);
  }

  close(): void {
    this.done = true;
    this.lines.close();
  }
}
