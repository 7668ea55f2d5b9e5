/**
 * A file appears whole or not at all: it is written under a hidden temporary name in its own folder and
 * renamed into place (rename within a folder is atomic), so a failed or interrupted write leaves the old
 * file, or nothing, never a 0-byte or half-written one. Not synced to disk: it guards against the process
 * failing, not the machine. A character device or pipe (`/dev/null`, `/dev/stdout`) is written straight.
 */
import { closeSync, openSync, renameSync, rmSync, type Stats, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { UserError } from '../errors.js';
import { ensureDir, fsUserError, noNewEntries, refuseInputs, requireOutPath } from './paths.js';

/** How a write is checked before it starts. */
export interface OutputOptions {
  /** Names the path in messages, e.g. `--out` (default "output"). */
  label?: string;
  /** Files the command reads; writing over one of them is refused. */
  inputs?: readonly string[];
}

/** A file being written: write to `fd`, then `commit()` (renames it into place) or `abort()` (removes it). */
export interface AtomicFile {
  fd: number;
  commit(): void;
  abort(): void;
}

let counter = 0;

/** A hidden name beside `path`, unique to this process: `.NAME.routesim-PID-N`. */
function tempNameFor(path: string): string {
  return join(dirname(path), `.${basename(path).slice(0, 100)}.routesim-${process.pid}-${counter++}`);
}

/**
 * Opens `path` for an atomic write (folders created). Throws UserError for an empty path, an input, a
 * folder or block device in the way, or a place that cannot be written (read-only, /proc, no permission).
 */
export function openAtomic(path: string, opts: OutputOptions = {}): AtomicFile {
  const label = opts.label ?? 'output';
  requireOutPath(path, label);
  refuseInputs(path, opts.inputs ?? [], label);
  let st: Stats | undefined;
  try {
    st = statSync(path, { throwIfNoEntry: false });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOTDIR') throw fsUserError(err, path, 'stat');
  }
  if (st?.isDirectory()) throw new UserError(`${path}: cannot write: is a folder, not a file`);
  if (st?.isBlockDevice()) throw new UserError(`${path}: cannot write: is a block device`);
  if (st && !st.isFile()) return straight(path);
  ensureDir(dirname(path));
  const tmp = tempNameFor(path);
  let fd: number;
  try {
    fd = openSync(tmp, 'wx', st ? st.mode & 0o7777 : 0o666);
  } catch (err) {
    throw (err as NodeJS.ErrnoException).code === 'ENOENT'
      ? noNewEntries(path, 'write')
      : fsUserError(err, path, 'write');
  }
  let open = true;
  const close = () => {
    if (open) closeSync(fd);
    open = false;
  };
  return {
    fd,
    commit() {
      try {
        close();
        renameSync(tmp, path);
      } catch (err) {
        rmSync(tmp, { force: true });
        throw fsUserError(err, path, 'write');
      }
    },
    abort() {
      try {
        close();
      } finally {
        rmSync(tmp, { force: true });
      }
    },
  };
}

/** A device or pipe: nothing to rename; written in place. */
function straight(path: string): AtomicFile {
  let fd: number;
  try {
    fd = openSync(path, 'w');
  } catch (err) {
    throw fsUserError(err, path, 'write');
  }
  return { fd, commit: () => closeSync(fd), abort: () => closeSync(fd) };
}

/** Writes `data` to `path` atomically (see openAtomic for what is refused). */
export function writeFileAtomic(path: string, data: string | Uint8Array, opts: OutputOptions = {}): void {
  const f = openAtomic(path, opts);
  try {
    writeFileSync(f.fd, data);
  } catch (err) {
    f.abort();
    throw fsUserError(err, path, 'write');
  }
  f.commit();
}
