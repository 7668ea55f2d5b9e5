/**
 * Trace formats as a dispatch table (name -> parser builder), format detection, and `openTrace`, the
 * streaming reader for one file.
 */
import { extname } from 'node:path';
import { UserError } from '../../core/errors.js';
import { TRACE_FORMATS, type TraceTraffic } from '../../core/types.js';
import { azureParser } from './azure.js';
import { burstgptParser } from './burstgpt.js';
import { csvParser } from './csv.js';
import { LineReader } from './lines.js';
import { mooncakeParser } from './mooncake.js';
import { nativeParser } from './native.js';
import { type OnBadRow, TraceReader } from './reader.js';
import type { RowParser } from './row.js';

export type TraceFormat = TraceTraffic['format'];

const FORMATS: Record<TraceFormat, (columns: Record<string, string> | null, file: string) => RowParser> = {
  azure: () => azureParser(),
  mooncake: () => mooncakeParser(),
  burstgpt: () => burstgptParser(),
  native: () => nativeParser(),
  csv: csvParser,
};

export interface OpenOptions {
  on_bad_row?: OnBadRow;
  columns?: Record<string, string> | null;
}

/** A streaming reader of `path` in `format`. Throws UserError for a missing file or an unusable mapping. */
export function openTrace(path: string, format: TraceFormat, opts: OpenOptions = {}): TraceReader {
  const build = FORMATS[format];
  if (!build) {
    throw new UserError(`unknown trace format '${format}' (known: ${TRACE_FORMATS.join(', ')})`, [
      { file: path, line: 0, column: 0, message: `unknown trace format '${format}'` },
    ]);
  }
  return new TraceReader(path, build(opts.columns ?? null, path), opts.on_bad_row ?? 'fail');
}

/** What detectFormat says of a file it cannot place (the command line's advice follows it). */
export const UNKNOWN_FORMAT = 'cannot tell the format of this trace from its name and first line';

/**
 * The format of a file from its extension and first non-blank line: .csv with an Azure or BurstGPT header,
 * .jsonl/.json with Mooncake (`input_length`) or native (`t_ms`) fields. Throws UserError when it cannot
 * tell, asking for --format (generic csv always needs to be named, with its column mapping).
 */
export function detectFormat(path: string): TraceFormat {
  const ext = extname(path).toLowerCase();
  let first = '';
  try {
    const lines = new LineReader(path, 64 * 1024);
    for (let l = lines.next(); l !== null; l = lines.next()) {
      if (l.trim() !== '') {
        first = l;
        break;
      }
    }
    lines.close();
  } catch (err) {
    const message = `cannot read trace: ${(err as Error).message}`;
    throw new UserError(message, [{ file: path, line: 0, column: 0, message }]);
  }
  const low = first.toLowerCase();
  if (ext === '.csv' || ext === '.txt' || (!first.startsWith('{') && first.includes(','))) {
    if (low.includes('timestamp') && low.includes('contexttokens')) return 'azure';
    if (low.includes('request tokens') && low.includes('response tokens')) return 'burstgpt';
  } else if (first.startsWith('{')) {
    if (first.includes('"input_length"') || first.includes('"hash_ids"')) return 'mooncake';
    if (first.includes('"t_ms"')) return 'native';
  }
  const message = `${UNKNOWN_FORMAT}; name it (--format ${TRACE_FORMATS.join('|')}; csv also needs a column mapping)`;
  throw new UserError(message, [{ file: path, line: 1, column: 1, message }]);
}
