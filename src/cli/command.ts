/**
 * The contract between `main` and each command module: a command declares its arguments for yargs and runs
 * as `run(args, io)`, printing only through `io` and resolving to its exit code, so that a test can run any
 * command with captured output and no process-wide state.
 */
import type { Argv } from 'yargs';

/** Where a command prints. */
export interface Io {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  /** True when stderr is a terminal (progress bars go there only then). */
  isTTY: boolean;
}

/**
 * One command (`run <file>`) or a group of subcommands (`trace <command>`). `run` resolves to the exit code
 * (0 ok, 1 a check failed) and throws UserError or CheckFailed for `main` to report; a group has no `run`
 * and lists its `subcommands` instead.
 */
export interface Command<A = never> {
  command: string;
  describe: string;
  /** Declares positionals and options (yargs); A is the shape they parse to. */
  builder?: (y: Argv) => Argv<unknown>;
  run?: (args: A, io: Io) => Promise<number>;
  subcommands?: readonly Command[];
}
