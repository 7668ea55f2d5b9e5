/**
 * A distribution as the schema parsed it -> its loaded form (core/distributions/kinds.ts), with the text
 * of an empirical `file:` (read by resolve.ts) parsed into samples: durations for times, numbers >= 0 for
 * counts, each within the limit of its quantity (core/limits.ts), as a list in the file would be.
 */
import { type Distribution, loadDistribution, type ParsedDistribution } from '../core/distributions/kinds.js';
import { MAX_TIME_MS, MAX_TOKENS, showMs } from '../core/limits.js';
import { parseDuration } from './durations.js';
import type { DataPath } from './positions.js';
import type { ScenarioFiles } from './resolve.js';
import type { RawIssue } from './zod-issues.js';

/** Loads one distribution written at `at`; `time`: its quantity is a duration (else a count). */
type DistLoader = (d: ParsedDistribution, at: DataPath, time: boolean) => Distribution;

/** What the section converters share: the files read (resolve.ts) and the distribution loader. */
export interface Helpers {
  files: ScenarioFiles;
  dist: DistLoader;
  /** Where converters record problems found on the way (an engine that cannot serve). */
  issues: RawIssue[];
}

/** A loader whose problems (bad samples in an empirical `file:`) go to `issues`. */
export function distLoader(files: ScenarioFiles, issues: RawIssue[]): DistLoader {
  return (d, at, time) =>
    loadDistribution(d, (file) => {
      const path = files.abs(file);
      const text = files.samples.get(path);
      return text === undefined ? [0] : parseSamples(text, path, [...at, 'file'], time, issues);
    });
}

/** Samples separated by white space or commas, up to the first bad one; [0] stands in for none. */
function parseSamples(text: string, path: string, at: DataPath, time: boolean, issues: RawIssue[]): number[] {
  const samples: number[] = [];
  const words = text.split(/[\s,]+/).filter((w) => w.length > 0);
  for (const [i, w] of words.entries()) {
    const max = time ? MAX_TIME_MS : MAX_TOKENS;
    const v = time ? parseDuration(w) : { ok: Number(w) >= 0, value: Number(w) };
    if (!v.ok || !((v.value as number) <= max)) {
      const want = time ? `duration of at most ${showMs(max)}` : `number in 0..${max}`;
      issues.push({ path: at, message: `samples file ${path}: sample ${i + 1} "${w}" is not a ${want}` });
      break;
    }
    samples.push(v.value as number);
  }
  if (samples.length === 0) issues.push({ path: at, message: `samples file ${path} has no samples` });
  return samples.length ? samples : [0];
}
