/** Helpers for the end-to-end tests: the CLI run as a user runs it, with its output captured. */

import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { distState } from '../bin/freshness.js';
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

/**
 * A scenario file `s.yaml` holding `text`, in a fresh temporary folder named `prefix`-XXXXXX (under the test
 * run's TMPDIR, removed when the run ends): the folder and the file.
 */
export function tempScenario(text: string, prefix = 'routesim-scn-'): { dir: string; file: string } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const file = join(dir, 's.yaml');
  writeFileSync(file, text);
  return { dir, file };
}

/**
 * Builds dist/ (scripts/build.mjs) when bin/freshness.js says it is missing or older than src/, for the
 * tests that run the compiled CLI; call it in a beforeAll with a long timeout (a build takes seconds).
 */
export function buildDistIfStale(): void {
  const root = join(import.meta.dirname, '..');
  if (!distState(root).fresh)
    execFileSync(process.execPath, [join(root, 'scripts/build.mjs')], { cwd: root });
}
