import {
  chmodSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pathProblem } from '../../cli/report-error.js';
import type { UserError } from '../errors.js';
import { openAtomic, writeFileAtomic } from './atomic-file.js';
import { replaceEntries } from './folder.js';
import { ensureDir, fsUserError } from './paths.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'routesim-output-'));

describe('atomic files', () => {
  it('replace the old file in one step, keep its mode, and leave nothing when aborted', () => {
    const d = tmp();
    const f = join(d, 'a.json');
    writeFileSync(f, 'old');
    chmodSync(f, 0o640);
    writeFileAtomic(f, 'new');
    expect(readFileSync(f, 'utf8')).toBe('new');
    expect(statSync(f).mode & 0o777).toBe(0o640);
    const w = openAtomic(f);
    writeFileSync(w.fd, 'half');
    w.abort();
    expect(readFileSync(f, 'utf8')).toBe('new');
    expect(readdirSync(d)).toEqual(['a.json']);
  });

  it('write a character device in place (a rename would replace /dev/null)', () => {
    writeFileAtomic('/dev/null', 'discarded');
    expect(statSync('/dev/null').isCharacterDevice()).toBe(true);
  });

  it('refuse a folder in the way', () => {
    expect(() => writeFileAtomic(tmp(), 'x')).toThrow(/cannot write: is a folder, not a file/);
  });
});

describe('file-system refusals read as what they mean', () => {
  const err = (code: string) => Object.assign(new Error(code), { code, path: '/mnt/ro/x', syscall: 'open' });
  it('EROFS and EACCES are named, not "no such file or folder"', () => {
    expect((fsUserError(err('EROFS'), '/mnt/ro/x', 'write') as UserError).message).toBe(
      '/mnt/ro/x: cannot write: read-only file system',
    );
    expect((fsUserError(err('EACCES'), '/mnt/ro/x', 'write') as UserError).message).toBe(
      '/mnt/ro/x: cannot write: permission denied',
    );
    expect(pathProblem(err('EROFS'))).toBe('/mnt/ro/x: cannot open: read-only file system');
    const eio = err('EIO');
    expect(fsUserError(eio, '/x', 'write')).toBe(eio); // not the user's to fix: stays internal
  });

  it('ensureDir reports /proc instead of spinning (Node’s recursive mkdir loops there)', () => {
    expect(() => ensureDir('/proc/routesim/a/b')).toThrow(
      '/proc/routesim: cannot mkdir: /proc takes no new files (a special file system such as /proc?)',
    );
  });
});

describe('replaceEntries', () => {
  it('leaves the folder as it was when the build throws, and refuses names it does not own', async () => {
    const d = tmp();
    writeFileSync(join(d, 'report.json'), 'old');
    const boom = replaceEntries({ dir: d, owned: ['report.json'] }, async (stage) => {
      writeFileSync(join(stage, 'report.json'), 'new');
      throw new Error('failed halfway');
    });
    await expect(boom).rejects.toThrow('failed halfway');
    expect(readdirSync(d)).toEqual(['report.json']);
    expect(readFileSync(join(d, 'report.json'), 'utf8')).toBe('old');
    const stray = replaceEntries({ dir: d, owned: ['report.json'] }, async (stage) => {
      writeFileSync(join(stage, 'other.txt'), 'x');
    });
    await expect(stray).rejects.toThrow('other.txt not among the owned entries');
    expect(readdirSync(d)).toEqual(['report.json']);
  });

  it('creates a new folder in one rename, with nothing left beside it', async () => {
    const d = tmp();
    const out = join(d, 'new');
    await replaceEntries({ dir: out, owned: ['a'] }, async (stage) => writeFileSync(join(stage, 'a'), '1'));
    expect(readdirSync(d)).toEqual(['new']);
    expect(readFileSync(join(out, 'a'), 'utf8')).toBe('1');
    expect(existsSync(join(out, '.routesim'))).toBe(false);
  });
});
