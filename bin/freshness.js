// Whether dist/ (the compiled CLI) was built from the sources now in src/, so that bin/routesim.js never
// runs a stale build silently. The build (scripts/build.mjs) writes dist/.build-stamp and dates it to the
// moment the build *started*; the build is fresh when no file or folder under src/, and neither tsconfig,
// is newer than that. Folders count because deleting or adding a file changes its folder's mtime, not any
// remaining file's. A package without src/ (installed from a registry) has only dist/ to run.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, sep } from 'node:path';

/** The stamp file, relative to the package root. */
export const STAMP = join('dist', '.build-stamp');

/** What counts as a source of the build, relative to the package root (folders walked recursively). */
const SOURCES = ['src', 'tsconfig.json'];

/**
 * `{ fresh: true }` when dist/ may be run for the package at `root` (a path); otherwise `{ fresh: false,
 * why }` with why in words ("dist/ has not been built", "src/cli/run.ts changed after the last build").
 */
export function distState(root) {
  let stamp;
  try {
    stamp = statSync(join(root, STAMP)).mtimeMs;
  } catch {
    return { fresh: false, why: 'dist/ has not been built' };
  }
  if (!existsSync(join(root, 'src'))) return { fresh: true };
  for (const s of SOURCES) {
    const newer = newerThan(root, s, stamp);
    if (newer) return { fresh: false, why: `${newer} changed after the last build` };
  }
  return { fresh: true };
}

/** Files under src/ the build does not compile (tsconfig.build.json excludes tests; notes are not code). */
const NOT_BUILT = /(\.test\.ts|\.md)$/;

/**
 * The first file under `rel` (itself included) modified after `t` (ms), else a folder that was, or null.
 * Paths are joined by hand (entry names need no normalising): this runs before every routesim call, and
 * path.join over ~400 entries was most of its time.
 */
function newerThan(root, rel, t) {
  const st = statSync(join(root, rel), { throwIfNoEntry: false });
  if (!st) return null;
  if (!st.isDirectory()) return st.mtimeMs > t ? rel : null;
  return newerIn(join(root, rel), rel, t, st.mtimeMs);
}

/** newerThan for the folder `abs` (shown as `rel`), whose own mtime is `mtime`. */
function newerIn(abs, rel, t, mtime) {
  for (const e of readdirSync(abs, { withFileTypes: true })) {
    const a = `${abs}${sep}${e.name}`;
    if (e.isDirectory()) {
      const n = newerIn(a, `${rel}${sep}${e.name}`, t, statSync(a).mtimeMs);
      if (n) return n;
    } else if (!NOT_BUILT.test(e.name) && statSync(a).mtimeMs > t) return `${rel}${sep}${e.name}`;
  }
  return mtime > t ? `${rel}/ (a file added or removed)` : null;
}
