/**
 * Writing a source as a native JSONL trace (traces/native.ts documents the format), streaming: lines are
 * batched into ~1 MiB writes, so memory does not grow with the trace.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import type { RequestSource } from './source.js';
import { toNativeLine } from './traces/native.js';

/** Consumes and closes `src`; returns the number of records written. Throws the fs error on write failure. */
export function writeNative(src: RequestSource, outPath: string): number {
  const fd = openSync(outPath, 'w');
  let rows = 0;
  let batch: string[] = [];
  let size = 0;
  try {
    for (let r = src.next(); r !== null; r = src.next()) {
      const line = toNativeLine(r);
      batch.push(line);
      size += line.length + 1;
      rows++;
      if (size >= 1 << 20) {
        writeSync(fd, `${batch.join('\n')}\n`);
        batch = [];
        size = 0;
      }
    }
    if (batch.length > 0) writeSync(fd, `${batch.join('\n')}\n`);
  } finally {
    closeSync(fd);
    src.close?.();
  }
  return rows;
}
