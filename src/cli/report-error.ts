/**
 * How `main` turns what a command threw into stderr lines and an exit code: UserError 2 (every problem,
 * no stack), CheckFailed 1, a file-system refusal on a named path 2, anything else 3 — an internal error,
 * one line naming the bug and where to report it, the stack only when asked for (`--debug`,
 * ROUTESIM_DEBUG=1), so that CI never reads a crash as a regression.
 */
import { readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  CheckFailed,
  EXIT_CHECK_FAILED,
  EXIT_INTERNAL_ERROR,
  EXIT_INVALID_INPUT,
  formatProblem,
  UserError,
} from '../core/errors.js';
import { fsReason } from '../core/output/paths.js';
import type { Io } from './command.js';

/** Where a user sends an internal error. */
const REPORT_BUGS_TO = 'the routesim issue tracker, with the command, the scenario file and this message';

/** Prints `err` through `io` and returns its exit code; `debug` adds the stack of an internal error. */
export function reportError(err: unknown, io: Io, debug: boolean): number {
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
  if ((err as NodeJS.ErrnoException)?.code === 'EPIPE') {
    // The reader went away (`--out /dev/stdout | head`): no bug of ours, and nothing more to write.
    io.stderr('error: the output was closed before all of it was written (EPIPE)\n');
    return EXIT_INVALID_INPUT;
  }
  const fsProblem = pathProblem(err);
  if (fsProblem) {
    io.stderr(`error: ${fsProblem}\n`);
    return EXIT_INVALID_INPUT;
  }
  io.stderr(`${internalErrorLine(err)}\n`);
  if (debug && err instanceof Error && err.stack) io.stderr(`${err.stack}\n`);
  return EXIT_INTERNAL_ERROR;
}

/**
 * `PATH: cannot SYSCALL: why` for a file-system error on a path (e.g. `--out` naming a file, a folder where
 * a file is read): invalid input, exit 2, no stack trace. Null for anything else, which is internal.
 */
export function pathProblem(err: unknown): string | null {
  if (!(err instanceof Error)) return null;
  const e = err as NodeJS.ErrnoException;
  if (typeof e.code !== 'string' || typeof e.path !== 'string') return null;
  const why = fsReason(e.code);
  if (!why) return null;
  return `${e.path}: ${e.syscall ? `cannot ${e.syscall}: ` : ''}${why}`;
}

/** The one line of an internal error: what broke, where in the code, and where to report it. */
export function internalErrorLine(err: unknown): string {
  const what =
    err instanceof Error ? `${err.name}: ${err.message.split('\n')[0]}` : `thrown value ${String(err)}`;
  const where = err instanceof Error ? topFrame(err.stack) : null;
  return (
    `internal error: ${what}${where ? ` (at ${where})` : ''}. This is a bug in routesim, not in your input; ` +
    `please report it to ${REPORT_BUGS_TO}. Run again with --debug or ROUTESIM_DEBUG=1 for the stack.`
  );
}

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/**
 * `src/run/driver.ts:120:7` from the first stack frame in routesim's own code (else the first frame). A
 * frame in a bundle (dist/cli/index.cjs, a sweep worker's dist/cli/worker.cjs) is read through the source
 * map beside it, so the line names the source file, and a frame of a package bundled into dist/ counts as
 * that package's, not ours.
 */
function topFrame(stack: string | undefined): string | null {
  const maps = new Map<string, SourceMap | null>();
  const frames = (stack ?? '')
    .split('\n')
    .map((l) => /^\s+at (?:.*? \()?(.*?):(\d+):(\d+)\)?$/.exec(l))
    .filter((m) => m !== null)
    .map((m) =>
      original({ file: m[1].replace(/^file:\/\//, ''), line: Number(m[2]), col: Number(m[3]) }, maps),
    );
  const own = frames.find((f) => f.file.startsWith(ROOT) && !f.file.includes('node_modules')) ?? frames[0];
  if (!own) return null;
  const file = own.file.startsWith(ROOT) ? own.file.slice(ROOT.length) : own.file;
  return `${file}:${own.line}:${own.col}`;
}

interface Frame {
  file: string;
  line: number;
  col: number;
}

/** Where `f` (1-based) came from per the `.map` file beside a built file under ROOT; `f` itself otherwise. */
function original(f: Frame, maps: Map<string, SourceMap | null>): Frame {
  if (!f.file.startsWith(ROOT) || !/\.c?js$/.test(f.file)) return f;
  let map = maps.get(f.file);
  if (map === undefined) {
    try {
      map = new SourceMap(JSON.parse(readFileSync(`${f.file}.map`, 'utf8')));
    } catch {
      map = null;
    }
    maps.set(f.file, map);
  }
  const e = map?.findEntry(f.line - 1, f.col - 1);
  if (!e || !('originalSource' in e) || !e.originalSource) return f;
  const source = e.originalSource.startsWith('file://') ? fileURLToPath(e.originalSource) : e.originalSource;
  return { file: resolve(dirname(f.file), source), line: e.originalLine + 1, col: e.originalColumn + 1 };
}
