/**
 * Checks every output path passes before anything is written: not empty, not one of the command's inputs
 * (same file after resolving links), and a folder that can really be created. File-system refusals become
 * UserError (exit 2) naming the path and why; errors that are no user's to fix keep their stack.
 */
import { mkdirSync, type Stats, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { UserError } from '../errors.js';

/** What a file-system error on a named path means to a user. */
const FS_REASONS: Record<string, string> = {
  ENOENT: 'no such file or folder',
  EISDIR: 'is a folder, not a file',
  ENOTDIR: 'a file stands where a folder is needed',
  EEXIST: 'a file is in the way (a folder is needed there)',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'read-only file system',
  ENAMETOOLONG: 'name too long',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  ELOOP: 'too many levels of symbolic links',
  EBUSY: 'busy (a mount point, or in use)',
  // `--out /dev/stdout` when stdout is a socket (a process manager's, node's child stdio): Linux cannot
  // open a socket by name.
  ENXIO: 'no such device or address (a socket cannot be opened as a file; redirect to a file or pipe)',
};

/** The user's reading of an fs error code (`EROFS` -> "read-only file system"), or null for other codes. */
export function fsReason(code: string | undefined): string | null {
  return (code && FS_REASONS[code]) ?? null;
}

/**
 * `err` as a UserError `PATH: cannot OP: why` when it is a file-system refusal a user can act on;
 * otherwise `err` itself (a bug or a failing disk keeps its stack).
 */
export function fsUserError(err: unknown, path: string, op: string): unknown {
  const why = fsReason((err as NodeJS.ErrnoException)?.code);
  return why ? new UserError(`${path}: cannot ${op}: ${why}`) : err;
}

/** Throws UserError when `path` is empty or blank (`--out ""` once wrote into the working folder). */
export function requireOutPath(path: string, label = 'output path'): void {
  if (path.trim() === '') throw new UserError(`${label} is empty: name a file or folder to write`);
}

function statOrNull(path: string): Stats | null {
  try {
    return statSync(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return null;
    throw fsUserError(err, path, 'stat');
  }
}

/**
 * Throws UserError when `out` is the same file as one of `inputs` (same device and inode, links followed):
 * writing it would destroy what the command reads (`trace convert X --out X` once emptied X).
 */
export function refuseInputs(out: string, inputs: readonly string[], label = 'output'): void {
  const o = statOrNull(out);
  if (!o) return;
  for (const input of inputs) {
    const i = statOrNull(input);
    if (i && i.dev === o.dev && i.ino === o.ino)
      throw new UserError(
        `${label} ${out} is the input ${input}: writing it would destroy the input; choose another path`,
      );
  }
}

/**
 * Creates folder `dir` and its missing parents, one level at a time. Throws UserError naming the level that
 * fails and why. Node's recursive mkdir spins forever where a file system refuses new entries with ENOENT
 * (`/proc/x`); this reports that instead.
 */
export function ensureDir(dir: string): void {
  const missing: string[] = [];
  let p = dir;
  for (;;) {
    const st = statOrNull(p);
    if (st) {
      if (!st.isDirectory())
        throw new UserError(`${p}: cannot mkdir: a file is in the way (a folder is needed there)`);
      break;
    }
    missing.push(p);
    const up = dirname(p);
    if (up === p) break;
    p = up;
  }
  for (const m of missing.reverse()) {
    try {
      mkdirSync(m);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EEXIST' && statOrNull(m)?.isDirectory()) continue; // made meanwhile by someone else
      if (code === 'ENOENT') throw noNewEntries(m, 'mkdir');
      throw fsUserError(err, m, 'mkdir');
    }
  }
}

/** ENOENT for a name whose folder exists: the file system (/proc, /sys) takes no new entries there. */
export function noNewEntries(path: string, op: string, where = dirname(path)): UserError {
  return new UserError(
    `${path}: cannot ${op}: ${where} takes no new files (a special file system such as /proc?)`,
  );
}
