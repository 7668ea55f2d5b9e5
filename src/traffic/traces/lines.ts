/**
 * Synchronous, chunked line reading: a file is read 1 MiB at a time with fs.readSync, so memory holds one
 * chunk plus one partial line whatever the file's length. Handles LF and CRLF line ends and a last line
 * without a newline, and drops a UTF-8 byte-order mark (spreadsheets write one). Line numbers are
 * 1-based, as editors show them.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { UserError } from '../../core/errors.js';
import { MAX_TRACE_LINE_BYTES } from '../../core/limits.js';

const CHUNK_BYTES = 1 << 20;

/** Reads lines one at a time. `next()` returns null at the end of the file and closes it. */
export class LineReader {
  /** Number of the line last returned by next() (1-based; 0 before the first). */
  lineNo = 0;
  private fd: number | null;
  private buf: Buffer;
  /** Bytes [start, end) of buf are read but not yet returned. */
  private start = 0;
  private end = 0;
  private eof = false;

  /** Throws the fs error (ENOENT...) when the file cannot be opened. */
  constructor(
    readonly path: string,
    chunkBytes = CHUNK_BYTES,
    private readonly maxLineBytes = MAX_TRACE_LINE_BYTES,
  ) {
    this.fd = openSync(path, 'r');
    this.buf = Buffer.allocUnsafe(chunkBytes);
  }

  next(): string | null {
    for (;;) {
      const nl = this.start < this.end ? this.buf.indexOf(10, this.start) : -1;
      if (nl !== -1 && nl < this.end) {
        let stop = nl;
        if (stop > this.start && this.buf[stop - 1] === 13) stop--;
        const line = this.buf.toString('utf8', this.start, stop);
        this.start = nl + 1;
        this.lineNo++;
        return this.lineNo === 1 ? stripBom(line) : line;
      }
      if (this.eof) {
        if (this.start >= this.end) {
          this.close();
          return null;
        }
        let stop = this.end;
        if (this.buf[stop - 1] === 13) stop--;
        const line = this.buf.toString('utf8', this.start, stop);
        this.start = this.end;
        this.lineNo++;
        return this.lineNo === 1 ? stripBom(line) : line;
      }
      this.fill();
    }
  }

  /** Move the unread tail to the front (growing the buffer for a line longer than it) and read more. */
  private fill(): void {
    const rest = this.end - this.start;
    if (rest > 0 && this.start > 0) this.buf.copy(this.buf, 0, this.start, this.end);
    else if (rest === this.buf.length) {
      if (rest >= this.maxLineBytes) throw this.lineTooLong();
      const bigger = Buffer.allocUnsafe(this.buf.length * 2);
      this.buf.copy(bigger, 0, 0, rest);
      this.buf = bigger;
    }
    this.start = 0;
    this.end = rest;
    if (this.fd === null) {
      this.eof = true;
      return;
    }
    const n = readSync(this.fd, this.buf, this.end, this.buf.length - this.end, null);
    if (n === 0) this.eof = true;
    else this.end += n;
  }

  private lineTooLong(): UserError {
    const line = this.lineNo + 1;
    const max = this.maxLineBytes;
    const size = max >= 2 ** 20 ? `${Math.round(max / 2 ** 20)} MiB` : `${max} bytes`;
    const message = `line ${line} is longer than ${size}: a trace holds one record per line (a file without newlines, or not a trace?)`;
    this.close();
    return new UserError(`${this.path}:${line}:1: ${message}`, [
      { file: this.path, line, column: 1, message },
    ]);
  }

  close(): void {
    if (this.fd !== null) {
      closeSync(this.fd);
      this.fd = null;
    }
  }
}

function stripBom(line: string): string {
  return line.charCodeAt(0) === 0xfeff ? line.slice(1) : line;
}
