/**
 * The routesim command line. `main(argv, io)` parses, dispatches to one module per command, and returns the
 * exit code: 0 ok, 1 a check or expectation failed, 2 invalid input (every problem on stderr, no stack),
 * 3 an internal error (one line; the stack with --debug or ROUTESIM_DEBUG=1; see report-error.ts).
 * Each command module exports `command` (a Command, see command.ts); heavy dependencies are imported lazily
 * inside `run` so that `routesim validate` never pays for llama.cpp or vega. `--version` answers before
 * yargs is loaded: it is the one call whose whole cost is start-up.
 */
import type { Argv, CommandModule } from 'yargs';
import { EXIT_INVALID_INPUT, EXIT_OK, UserError } from '../core/errors.js';
import { VERSION } from '../core/version.js';
import { closest, didYouMean } from '../scenario/suggest.js';
import type { Command, Io } from './command.js';
import { reportError } from './report-error.js';

/**
 * Set once stdout's reader has gone (`routesim schema | head`): later output is dropped and the command
 * finishes its work and exits as it would have, instead of dying of an unhandled EPIPE with Node's stack.
 */
let stdoutClosed = false;

const processIo: Io = {
  stdout: (s) => {
    if (!stdoutClosed) process.stdout.write(s);
  },
  stderr: (s) => process.stderr.write(s),
  isTTY: Boolean(process.stderr.isTTY),
};

/**
 * Runs the command line `argv` (without the node and script names), printing through `io`; resolves to the
 * exit code, 3 for an internal error. Never rejects.
 */
export async function main(
  argv: string[],
  io: Io = processIo,
  env: Record<string, string | undefined> = process.env,
): Promise<number> {
  if (argv.length === 1 && argv[0] === '--version') {
    io.stdout(`${VERSION}\n`);
    return EXIT_OK;
  }
  if (io === processIo && process.stdout.listenerCount('error') === 0)
    process.stdout.on('error', onStdoutError);
  let code = 0;
  const done = (c: number) => {
    code = c;
  };
  try {
    const [{ default: yargs }, { commands }] = await Promise.all([import('yargs'), import('./commands.js')]);
    let parser = yargs(argv)
      .scriptName('routesim')
      .usage('$0 <command> [options]')
      .strict()
      .demandCommand(1, 'Name a command: run, validate, schema, compare, check, sweep, merge, trace, ...')
      .recommendCommands()
      .help()
      .version('version', 'print the version and exit', VERSION)
      .option('debug', {
        type: 'boolean',
        global: true,
        describe: 'print the stack of an internal error (also ROUTESIM_DEBUG=1)',
      })
      .wrap(Math.min(110, process.stdout.columns || 110))
      .fail((msg, err) => {
        if (err) throw err;
        throw new UserError(withFlagSuggestions(msg, argv, parser));
      })
      .exitProcess(false);
    skipHelpCache(parser);
    for (const c of commands) parser = parser.command(toYargs(c, io, done, argv));
    // A bare `routesim` is a call that names no command: the usage, then exit 2 like any invalid input.
    if (argv.length === 0) {
      io.stderr(`${await parser.getHelp()}\n`);
      return EXIT_INVALID_INPUT;
    }
    refuseUnknownCommand(argv, commands);
    await parser.parseAsync();
  } catch (err) {
    code = reportError(err, io, argv.includes('--debug') || env.ROUTESIM_DEBUG === '1');
  }
  return code;
}

function onStdoutError(err: NodeJS.ErrnoException): void {
  if (err.code !== 'EPIPE') throw err;
  stdoutClosed = true;
}

/**
 * yargs' "Unknown argument: chart" for `--no-chart`, with the flag as typed and the nearest known one:
 * "unknown option --no-chart (did you mean --no-charts?)". Other messages pass through.
 */
function withFlagSuggestions(msg: string, argv: readonly string[], y: Argv): string {
  const m = /^Unknown arguments?: (.+)$/.exec(msg);
  if (!m) return msg;
  // getOptions(), not in yargs' types: the options of the command being parsed (its builder has run).
  const opts = (y as unknown as { getOptions(): { key?: Record<string, unknown> } }).getOptions();
  const known = Object.keys(opts.key ?? {}).filter((k) => !/[A-Z]/.test(k)); // not yargs' camelCase twins
  const kebab = (n: string) => n.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
  const names = m[1].split(', ');
  // yargs lists `--update-basline` twice, the second time as updateBasline.
  const named = names
    .filter((n) => !/[A-Z]/.test(n) || !names.includes(kebab(n)))
    .map((name) => {
      const negated = !argv.includes(`--${name}`) && argv.some((a) => a.split('=')[0] === `--no-${name}`);
      if (!argv.some((a) => a.split('=')[0] === `--${name}`) && !negated) return `argument ${name}`;
      const near = closest(name, known);
      const flag = `--${negated ? 'no-' : ''}`;
      return `option ${flag}${name}${near ? ` (did you mean ${flag}${near}?)` : ''}`;
    });
  return `unknown ${named.join(', unknown ')}`;
}

const nameOf = (c: Command) => c.command.split(' ')[0];

/**
 * Throws UserError for a first word that names no command, or a second that names no subcommand of one
 * that has them: yargs said only "Did you mean gguf?" for `routesim bogus` (and "Unknown argument: x" for
 * `routesim trace bogus x`), never what was unknown nor what is known.
 */
function refuseUnknownCommand(argv: readonly string[], commands: readonly Command[]): void {
  const unknown = (word: string, what: string, known: readonly Command[]) => {
    const names = known.map(nameOf);
    const hint = didYouMean(word, names) ?? `${what}s: ${names.join(', ')}`;
    return new UserError(`unknown ${what} \`${word}\` (${hint})`);
  };
  const [first, second] = argv;
  if (first === undefined || first.startsWith('-')) return;
  const top = commands.find((c) => nameOf(c) === first);
  if (!top) throw unknown(first, 'command', commands);
  const subs = top.subcommands ?? [];
  if (
    subs.length > 0 &&
    second !== undefined &&
    !second.startsWith('-') &&
    !subs.some((c) => nameOf(c) === second)
  )
    throw unknown(second, `${first} command`, subs);
}

/**
 * yargs renders a command's whole help text just after starting its handler (usage.cacheHelpMessage), so
 * that a later showHelp() prints that command's help: every routesim call paid for it (~25 ms of string
 * widths and wrapping) and never showed it, because `fail` above throws and nothing calls showHelp. The
 * usage object is yargs' internal API: where a version lacks it, nothing is skipped.
 */
function skipHelpCache(parser: Argv): void {
  type Internal = { getInternalMethods?: () => { getUsageInstance?: () => { cacheHelpMessage?: unknown } } };
  const usage = (parser as unknown as Internal).getInternalMethods?.().getUsageInstance?.();
  if (usage && typeof usage.cacheHelpMessage === 'function') usage.cacheHelpMessage = () => {};
}

/** The yargs module for `c`, whose handler runs it with `io` and hands its exit code to `done`. */
function toYargs(c: Command, io: Io, done: (code: number) => void, argv: readonly string[]): CommandModule {
  const { run, builder, subcommands = [] } = c;
  return {
    command: c.command,
    describe: c.describe,
    builder: (y: Argv) => {
      let b = (builder ? builder(y) : y) as Argv;
      for (const s of subcommands) b = b.command(toYargs(s, io, done, argv));
      return b;
    },
    handler: async (args) => {
      refuseNaN(args, argv);
      if (run) done(await run(args as never, io));
    },
  };
}

/**
 * Throws UserError for a `type: 'number'` flag whose text was not a number: yargs makes it NaN, which a
 * command's own range check then reported as "got NaN" (`fidelity --max-error abc`, `gguf synth --layers
 * x`). The message quotes the value as typed, found in `argv` (`--flag value` or `--flag=value`).
 */
function refuseNaN(args: Record<string, unknown>, argv: readonly string[]): void {
  for (const [key, value] of Object.entries(args)) {
    if (typeof value !== 'number' || !Number.isNaN(value) || /[A-Z]/.test(key)) continue;
    const flag = `--${key}`;
    let typed: string | undefined;
    argv.forEach((a, i) => {
      if (a === flag) typed = argv[i + 1] ?? '';
      else if (a.startsWith(`${flag}=`)) typed = a.slice(flag.length + 1);
    });
    throw new UserError(`${flag} must be a number, got '${typed ?? String(value)}'`);
  }
}
