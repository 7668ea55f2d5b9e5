/**
 * Writing a source as a native JSONL trace (traces/native.ts documents the format), streaming: lines are
 * batched into ~1 MiB writes, so memory does not grow with the trace.
 */
import { writeFileSync } from 'node:fs';
import { type OutputOptions, openAtomic } from '../core/output/atomic-file.js';
import { fsUserError } from '../core/output/paths.js';
import type { RequestSource } from './source.js';
import { toNativeLine } from './traces/native.js';

/**
 * Consumes and closes `src`; returns the number of records written. The file appears whole or not at all
 * (core/output): a bad row or a failed write leaves no file, or the previous one. Throws UserError for an
 * output that cannot be written or is one of `opts.inputs`.
 */
export function writeNative(src: RequestSource, outPath: string, opts: OutputOptions = {}): number {
  let out: ReturnType<typeof openAtomic>;
  try {
    out = openAtomic(outPath, opts);
  } catch (err) {
    src.close?.();
    throw err;
  }
  const write = (text: string) => {
    try {
      writeFileSync(out.fd, text);
    } catch (err) {
      throw fsUserError(err, outPath, 'write');
    }
  };
  let rows = 0;
  let done = false;
  let batch: string[] = [];
  let size = 0;
  try {
    for (let r = src.next(); r !== null; r = src.next()) {
      const line = toNativeLine(r);
      batch.push(line);
      size += line.length + 1;
      rows++;
      if (size >= 1 << 20) {
        write(`${batch.join('\n')}\n`);
        batch = [];
        size = 0;
      }
    }
    if (batch.length > 0) write(`${batch.join('\n')}\n`);
    done = true;
  } finally {
    if (!done) out.abort();
    src.close?.();
  }
  out.commit();
  return rows;
}
