/**
 * `routesim trace stats FILE [--format F] [--json] [--skip-bad-rows] [--columns k=v,...]` and
 * `routesim trace convert FILE --to native --out OUT.jsonl [--format F]`. The format is detected from the
 * file's extension and first line when not given; generic csv needs --format csv and --columns.
 */
import { statSync } from 'node:fs';
import type { Argv } from 'yargs';
import { UserError } from '../core/errors.js';
import { formatCount, JSON_DECIMALS, roundDeep } from '../core/format.js';
import { fsReason } from '../core/output/paths.js';
import { TRACE_FORMATS } from '../core/types.js';
import type { Command } from './command.js';

interface TraceArgs {
  file: string;
  format?: string;
  columns?: string;
  'skip-bad-rows'?: boolean;
  json?: boolean;
  to?: string;
  out?: string;
}

const common = (y: Argv) =>
  y
    .positional('file', { type: 'string', demandOption: true, describe: 'the trace file' })
    .option('format', {
      type: 'string',
      describe: 'azure | mooncake | burstgpt | native | csv (detected when left out)',
    })
    .option('columns', {
      type: 'string',
      describe:
        'column mapping for --format csv: timestamp=ts,time_unit=ms,prompt_tokens=in,output_tokens=out,...',
    })
    .option('skip-bad-rows', {
      type: 'boolean',
      default: false,
      describe: 'skip and count bad rows instead of failing',
    });

async function open(argv: TraceArgs) {
  readable(argv.file);
  const { detectFormat, openTrace } = await import('../traffic/traces/formats.js');
  const format = (argv.format ?? detectFormat(argv.file)) as (typeof TRACE_FORMATS)[number];
  if (!TRACE_FORMATS.includes(format)) {
    throw new UserError(`unknown --format '${argv.format}' (known: ${TRACE_FORMATS.join(', ')})`);
  }
  const columns = argv.columns ? parseColumns(argv.columns) : null;
  return {
    format,
    src: openTrace(argv.file, format, { on_bad_row: argv['skip-bad-rows'] ? 'skip' : 'fail', columns }),
  };
}

/**
 * Throws UserError `FILE: cannot read trace: why` for a trace that is missing or not a file, in the words a
 * scenario's `trace:` gets (it was Node's "ENOENT: no such file or directory, open '...'").
 */
function readable(file: string): void {
  let why: string | null = null;
  try {
    if (statSync(file).isDirectory()) why = 'is a folder, not a file';
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    why = code === 'ENOENT' ? 'no such file' : (fsReason(code) ?? (err as Error).message);
  }
  if (why === null) return;
  const message = `cannot read trace: ${why}`;
  throw new UserError(message, [{ file, line: 0, column: 0, message }]);
}

/** `a=b,c=d` to { a: 'b', c: 'd' }; throws UserError on a piece without '='. */
function parseColumns(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const piece of text.split(',')) {
    const eq = piece.indexOf('=');
    if (eq <= 0) throw new UserError(`--columns: expected key=column, got '${piece}'`);
    out[piece.slice(0, eq).trim()] = piece.slice(eq + 1).trim();
  }
  return out;
}

const stats: Command<TraceArgs> = {
  command: 'stats <file>',
  describe: 'rows, span, rate, token percentiles, burstiness and prefix reuse of a trace',
  builder: (y: Argv) =>
    common(y).option('json', { type: 'boolean', default: false, describe: 'print JSON' }) as Argv<TraceArgs>,
  run: async (argv, io) => {
    const { traceStats } = await import('../traffic/stats/trace-stats.js');
    const { formatStats } = await import('../traffic/stats/format-stats.js');
    const { format, src } = await open(argv);
    const s = traceStats(src);
    io.stdout(
      argv.json
        ? `${JSON.stringify(roundDeep({ file: argv.file, format, ...s }, JSON_DECIMALS), null, 2)}\n`
        : formatStats(argv.file, format, s),
    );
    return 0;
  },
};

const convert: Command<TraceArgs> = {
  command: 'convert <file>',
  describe: 'rewrite a trace in the native JSONL format (everything the router uses, one record per line)',
  builder: (y: Argv) =>
    common(y)
      .option('to', { type: 'string', choices: ['native'], default: 'native', describe: 'target format' })
      .option('out', {
        type: 'string',
        demandOption: true,
        describe: 'output file (.jsonl)',
      }) as Argv<TraceArgs>,
  run: async (argv, io) => {
    const { writeNative } = await import('../traffic/convert.js');
    const { format, src } = await open(argv);
    const rows = writeNative(src, argv.out as string, { label: '--out', inputs: [argv.file] });
    const skipped = src.skipped;
    io.stdout(
      `wrote ${formatCount(rows)} records (${format} -> native) to ${argv.out}${skipped ? `; ${formatCount(skipped)} bad rows skipped` : ''}\n`,
    );
    return 0;
  },
};

export const command: Command = {
  command: 'trace <command>',
  describe: 'inspect and convert recorded traffic traces',
  builder: (y: Argv) => y.demandCommand(1, 'Name a subcommand: stats or convert'),
  subcommands: [stats, convert],
};
