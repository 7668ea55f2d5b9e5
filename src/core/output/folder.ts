/**
 * An output folder written as a unit. Everything is first built in a hidden stage folder; only then are the
 * entries this writer owns replaced, all at once: the previous run's owned entries (charts it drew that
 * this run does not, say) are removed, the new ones renamed in. A run that fails or is interrupted before
 * that leaves the previous output whole; entries the writer does not own (a user's notes, `sweep/` beside
 * a run's report) are never touched.
 *
 * A folder that does not exist yet appears by one rename of the stage. Into an existing folder the entries
 * are renamed one by one in a single synchronous step, the `marker` (report.json) removed first and put
 * back last, with SIGINT and SIGTERM held until the step is done, so no moment shows a marker beside
 * another run's files.
 */

import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, realpathSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join, relative, sep } from 'node:path';
import { UserError } from '../errors.js';
import type { OutputOptions } from './atomic-file.js';
import { ensureDir, fsUserError, noNewEntries, refuseInputs, requireOutPath } from './paths.js';

/** Which entries of an output folder one writer owns. */
export interface FolderOutput extends OutputOptions {
  dir: string;
  /** Top-level names this writer may write (e.g. report.json, charts): all replaced together. */
  owned: readonly string[];
  /** The owned entry that says "this output is whole": removed first, renamed in last. */
  marker?: string;
}

/** Hidden names this module leaves behind only when its process died: `.routesim-PID-…`, `.NAME.routesim-PID-…`. */
const LEFTOVER = /^\.(?:.*\.)?routesim-(?:old-)?(\d+)-/;

/**
 * Builds the output in a stage folder (`build(stage)` writes only owned names there), then replaces the
 * owned entries of `out.dir` with the stage's. Throws UserError for a path that cannot be used (empty, an
 * input, a file in the way, read-only, /proc); when `build` throws, nothing in `out.dir` has changed.
 */
export async function replaceEntries<T>(out: FolderOutput, build: (stage: string) => Promise<T>): Promise<T> {
  const { dir, owned } = out;
  const label = out.label ?? 'output folder';
  requireOutPath(dir, label);
  refuseInputs(dir, out.inputs ?? [], label);
  ensureDir(dirname(dir));
  const exists = isFolder(dir);
  if (exists) refuseOwnedInputs(dir, owned, out.inputs ?? [], label);
  removeLeftovers(exists ? dir : dirname(dir), exists ? null : basename(dir));
  // The stage sits where its entries go, so every rename stays within one file system.
  const parent = dirname(dir);
  const stage = makeStage(
    exists
      ? join(dir, `.routesim-${process.pid}-`)
      : join(parent, `.${basename(dir)}.routesim-${process.pid}-`),
    dir,
  );
  let result: T;
  try {
    result = await build(stage);
    const extra = readdirSync(stage).filter((e) => !owned.includes(e));
    if (extra.length > 0) throw new Error(`replaceEntries: ${extra.join(', ')} not among the owned entries`);
    if (!exists && !isFolder(dir)) {
      renameSync(stage, dir);
      return result;
    }
    holdingSignals(() => swapIn(stage, dir, owned, out.marker));
  } catch (err) {
    rmSync(stage, { recursive: true, force: true });
    throw err;
  }
  rmSync(stage, { recursive: true, force: true });
  return result;
}

function isFolder(path: string): boolean {
  const st = statSync(path, { throwIfNoEntry: false });
  if (st && !st.isDirectory())
    throw new UserError(`${path}: cannot mkdir: a file is in the way (a folder is needed there)`);
  return st !== undefined;
}

/** `prefix` + a random suffix, created with the default mode (mkdtemp's 0700 would end up on the output). */
function makeStage(prefix: string, dir: string): string {
  const stage = prefix + randomBytes(4).toString('hex');
  try {
    mkdirSync(stage);
    return stage;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw code === 'ENOENT' ? noNewEntries(dir, 'write', dirname(prefix)) : fsUserError(err, dir, 'write');
  }
}

/** An input at an owned entry (a baseline that is `DIR/report.json`) would be replaced: refuse it. */
function refuseOwnedInputs(dir: string, owned: readonly string[], inputs: readonly string[], label: string) {
  const real = realpathSync(dir);
  for (const input of inputs) {
    let r: string;
    try {
      r = realpathSync(input);
    } catch {
      continue;
    }
    const first = relative(real, r).split(sep)[0] ?? '';
    if (r.startsWith(real + sep) && owned.includes(first))
      throw new UserError(
        `${label} ${dir} would replace ${first}, which holds the input ${input}; choose another folder`,
      );
  }
}

/** Stages of processes that died before cleaning up (ours are named with the pid). */
function removeLeftovers(folder: string, name: string | null): void {
  let entries: string[];
  try {
    entries = readdirSync(folder);
  } catch {
    return; // unreadable: making the stage will say why
  }
  for (const e of entries) {
    const m = LEFTOVER.exec(e);
    if (!m || (name !== null && !e.startsWith(`.${name}.routesim-`))) continue;
    if (!alive(Number(m[1]))) rmSync(join(folder, e), { recursive: true, force: true });
  }
}

function alive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The owned entries of `dir` out (marker first), the stage's in (marker last); then the old ones deleted. */
function swapIn(stage: string, dir: string, owned: readonly string[], marker?: string): void {
  const markerFirst = (names: string[]) =>
    marker && names.includes(marker) ? [marker, ...names.filter((n) => n !== marker)] : names;
  const present = new Set(readdirSync(dir));
  const leaving = markerFirst(owned.filter((e) => present.has(e)));
  const arriving = markerFirst(readdirSync(stage)).reverse();
  const old = `${stage}-old`;
  if (leaving.length > 0) mkdirSync(old);
  for (const e of leaving) renameSync(join(dir, e), join(old, e));
  for (const e of arriving) renameSync(join(stage, e), join(dir, e));
  rmSync(old, { recursive: true, force: true });
}

/**
 * Runs `fn` (synchronous) with SIGINT and SIGTERM caught, then delivers any that came once the listeners
 * are gone, so the default action (exit) happens after `fn`, not halfway through it.
 */
function holdingSignals(fn: () => void): void {
  const caught: NodeJS.Signals[] = [];
  const hold = (s: NodeJS.Signals) => caught.push(s);
  process.on('SIGINT', hold);
  process.on('SIGTERM', hold);
  try {
    fn();
  } finally {
    // A signal that came during fn reaches `hold` on the next turn of the event loop: wait for that turn.
    setImmediate(() => {
      process.off('SIGINT', hold);
      process.off('SIGTERM', hold);
      if (caught.length > 0) process.kill(process.pid, caught[0]);
    });
  }
}
