/**
 * vitest globalSetup: every test file's temporary files (os.tmpdir(), and the CLI processes the tests
 * spawn, which inherit TMPDIR) go under one folder of this run, removed when the run ends, so a test run
 * leaves nothing in the system's temp folder. Tests still clean up after themselves where they can; this
 * catches the rest (a failed test, a killed child).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export default function setup(): () => void {
  const root = mkdtempSync(join(tmpdir(), 'routesim-tests-'));
  const before = process.env.TMPDIR;
  process.env.TMPDIR = root;
  return () => {
    if (before === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = before;
    rmSync(root, { recursive: true, force: true });
  };
}
