/** Helpers for the end-to-end tests: the CLI run as a user runs it, with its output captured. */

import type { Io } from '../src/cli/command.js';
import { main } from '../src/cli/index.js';

/** An Io that keeps every write: `out` and `err` hold the chunks in order. */
export function captureIo(): { io: Io; out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { stdout: (s) => out.push(s), stderr: (s) => err.push(s), isTTY: false } };
}

/** `routesim ...argv`: its exit code and everything it wrote to stdout and stderr. */
export async function runCli(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const c = captureIo();
  const code = await main(argv, c.io);
  return { code, out: c.out.join(''), err: c.err.join('') };
}
