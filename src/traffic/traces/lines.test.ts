import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LineReader } from './lines.js';

const dir = mkdtempSync(join(tmpdir(), 'routesim-lines-'));
function file(name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}
function all(r: LineReader): string[] {
  const out: string[] = [];
  for (let l = r.next(); l !== null; l = r.next()) out.push(l);
  return out;
}

describe('LineReader', () => {
  it('splits LF and CRLF lines and keeps a last line without a newline', () => {
    const p = file('a.txt', 'one\r\ntwo\nthree\r\n\r\nlast');
    const r = new LineReader(p);
    expect(all(r)).toEqual(['one', 'two', 'three', '', 'last']);
    expect(r.lineNo).toBe(5);
  });

  it('gives the same lines whatever the chunk size (lines and CRLF split across chunks)', () => {
    const lines = Array.from({ length: 200 }, (_, i) => `row ${i} ${'x'.repeat(i % 37)} é`);
    const p = file('b.txt', `${lines.join('\r\n')}\r\n`);
    for (const chunk of [1, 2, 3, 7, 64, 1 << 20]) {
      expect(all(new LineReader(p, chunk))).toEqual(lines);
    }
  });

  it('drops a byte-order mark on the first line only', () => {
    expect(all(new LineReader(file('bom.txt', '\ufeffa,b\r\n\ufeffc')))).toEqual(['a,b', '\ufeffc']);
  });

  it('reads an empty file as no lines and a lone newline as one empty line', () => {
    expect(all(new LineReader(file('e.txt', '')))).toEqual([]);
    expect(all(new LineReader(file('n.txt', '\n')))).toEqual(['']);
  });
});

describe('LineReader on a file without newlines', () => {
  it('refuses a line longer than its limit with file:line and no huge string', async () => {
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { UserError } = await import('../../core/errors.js');
    const f = join(mkdtempSync(join(tmpdir(), 'routesim-lines-')), 'blob.jsonl');
    writeFileSync(f, `{"t_ms":0}\n${'x'.repeat(5000)}`);
    const r = new LineReader(f, 64, 1024);
    expect(r.next()).toBe('{"t_ms":0}');
    let err: unknown;
    try {
      r.next();
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(UserError);
    expect((err as InstanceType<typeof UserError>).problems).toEqual([
      {
        file: f,
        line: 2,
        column: 1,
        message:
          'line 2 is longer than 1024 bytes: a trace holds one record per line (a file without newlines, or not a trace?)',
      },
    ]);
  });
});
