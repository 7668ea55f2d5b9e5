/**
 * The routesim command line. `main(argv)` parses, dispatches to one module per command, and returns the
 * exit code: 0 ok, 1 a check or expectation failed, 2 invalid input (every problem on stderr, no stack).
 * Each command module exports `command` (a yargs CommandModule); heavy dependencies are imported lazily
 * inside handlers so that `routesim validate` never pays for llama.cpp or vega.
 */
import yargs, { type CommandModule } from 'yargs';
import {
  CheckFailed,
  EXIT_CHECK_FAILED,
  EXIT_INVALID_INPUT,
  formatProblem,
  UserError,
} from '../core/errors.js';
import { commands } from './commands.js';

export interface Io {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  /** True when stderr is a terminal (progress bars go there only then). */
  isTTY: boolean;
}

const processIo: Io = {
  stdout: (s) => process.stdout.write(s),
  stderr: (s) => process.stderr.write(s),
  isTTY: Boolean(process.stderr.isTTY),
};

/** The io of the command being run; command handlers print through this so tests can capture output. */
export let io: Io = processIo;

export async function main(argv: string[], withIo: Io = processIo): Promise<number> {
  io = withIo;
  let code = 0;
  try {
    let parser = yargs(argv)
      .scriptName('routesim')
      .usage('$0 <command> [options]')
      .strict()
      .demandCommand(1, 'Name a command: run, validate, schema, compare, check, sweep, merge, trace, ...')
      .recommendCommands()
      .help()
      .version(false)
      .wrap(Math.min(110, process.stdout.columns || 110))
      .fail((msg, err) => {
        if (err) throw err;
        throw new UserError(msg);
      })
      .exitProcess(false);
    for (const c of commands) parser = parser.command(c as CommandModule);
    const out = await parser.parseAsync();
    const result = (out as { exitCode?: number }).exitCode;
    if (typeof result === 'number') code = result;
  } catch (err) {
    code = reportError(err);
  }
  return code;
}

function reportError(err: unknown): number {
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

/** Handlers set their exit code here (0 when they return normally). */
export function setExitCode(argv: unknown, code: number): void {
  (argv as { exitCode?: number }).exitCode = code;
}
