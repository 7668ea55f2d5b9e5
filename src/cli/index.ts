/**
 * The routesim command line. `main(argv, io)` parses, dispatches to one module per command, and returns the
 * exit code: 0 ok, 1 a check or expectation failed, 2 invalid input (every problem on stderr, no stack).
 * Each command module exports `command` (a Command, see command.ts); heavy dependencies are imported lazily
 * inside `run` so that `routesim validate` never pays for llama.cpp or vega. `--version` answers before
 * yargs is loaded: it is the one call whose whole cost is start-up.
 */
import type { Argv, CommandModule } from 'yargs';
import {
  CheckFailed,
  EXIT_CHECK_FAILED,
  EXIT_INVALID_INPUT,
  EXIT_OK,
  formatProblem,
  UserError,
} from '../core/errors.js';
import { VERSION } from '../core/version.js';
import type { Command, Io } from './command.js';

const processIo: Io = {
  stdout: (s) => process.stdout.write(s),
  stderr: (s) => process.stderr.write(s),
  isTTY: Boolean(process.stderr.isTTY),
};

/**
 * Runs the command line `argv` (without the node and script names), printing through `io`; resolves to the
 * exit code. Throws only internal errors (exit 3 is bin/routesim.js's job).
 */
export async function main(argv: string[], io: Io = processIo): Promise<number> {
  if (argv.length === 1 && argv[0] === '--version') {
    io.stdout(`${VERSION}\n`);
    return EXIT_OK;
  }
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
      .option('debug', { type: 'boolean', describe: 'on an internal error (exit 3), print its stack' })
      .wrap(Math.min(110, process.stdout.columns || 110))
      .fail((msg, err) => {
        if (err) throw err;
        throw new UserError(msg);
      })
      .exitProcess(false);
    for (const c of commands) parser = parser.command(toYargs(c, io, done));
    // A bare `routesim` is a call that names no command: the usage, then exit 2 like any invalid input.
    if (argv.length === 0) {
      io.stderr(`${await parser.getHelp()}\n`);
      return EXIT_INVALID_INPUT;
    }
    await parser.parseAsync();
  } catch (err) {
    code = reportError(err, io);
  }
  return code;
}

/** The yargs module for `c`, whose handler runs it with `io` and hands its exit code to `done`. */
function toYargs(c: Command, io: Io, done: (code: number) => void): CommandModule {
  const { run, builder, subcommands = [] } = c;
  return {
    command: c.command,
    describe: c.describe,
    builder: (y: Argv) => {
      let b = (builder ? builder(y) : y) as Argv;
      for (const s of subcommands) b = b.command(toYargs(s, io, done));
      return b;
    },
    handler: async (args) => {
      if (run) done(await run(args as never, io));
    },
  };
}

function reportError(err: unknown, io: Io): number {
  if (err instanceof UserError) {
    for (const p of err.problems) io.stderr(`${formatProblem(p)}\n`);
    // The summary line, unless it only repeats the one problem just printed.
    const only = err.problems.length === 1 ? err.problems[0] : null;
    if (!only || (err.message !== only.message && err.message !== formatProblem(only)))
      io.stderr(`error: ${err.message}\n`);
    return EXIT_INVALID_INPUT;
  }
  if (err instanceof CheckFailed) {
    io.stderr(`${err.message}\n`);
    return EXIT_CHECK_FAILED;
  }
  const fsProblem = pathProblem(err);
  if (fsProblem) {
    io.stderr(`error: ${fsProblem}\n`);
    return EXIT_INVALID_INPUT;
  }
  throw err;
}

/** What a file-system error on a named path means to a user. */
const PATH_ERRORS: Record<string, string> = {
  ENOENT: 'no such file or folder',
  EISDIR: 'is a folder, not a file',
  ENOTDIR: 'a file stands where a folder is needed',
  EEXIST: 'a file is in the way (a folder is needed there)',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'read-only file system',
  ENAMETOOLONG: 'name too long',
};

/**
 * `PATH: cannot SYSCALL: why` for a file-system error on a path (e.g. `--out` naming a file, a folder where
 * a file is read): invalid input, exit 2, no stack trace. Null for anything else, which keeps its stack.
 */
export function pathProblem(err: unknown): string | null {
  if (!(err instanceof Error)) return null;
  const e = err as NodeJS.ErrnoException;
  if (typeof e.code !== 'string' || typeof e.path !== 'string') return null;
  const why = PATH_ERRORS[e.code];
  if (!why) return null;
  return `${e.path}: ${e.syscall ? `cannot ${e.syscall}: ` : ''}${why}`;
}
