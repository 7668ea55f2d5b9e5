/**
 * The text files of a run's report (report.json, run.json, summary.md), written together so that they
 * appear whole or not at all. report.html and the charts are written by report/html.ts.
 */
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunInfo } from './run-info.js';
import { renderSummary } from './summary.js';
import type { Report } from './types.js';

/** report.json text: two-space indented, trailing newline; byte-identical for the same report. */
export function toJson(report: Report): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}

/**
 * Write report.json, run.json and summary.md (and any other `files`) into `dir` atomically: every file is
 * first written under a temporary name, then all are renamed into place, so an interrupted or failed run
 * never leaves a partial report that looks whole. Creates `dir`. Returns the paths written.
 */
export function writeReportFiles(
  dir: string,
  report: Report,
  run: RunInfo,
  extra: Record<string, string> = {},
  chartsMd = '',
): string[] {
  const files: Record<string, string> = {
    'report.json': toJson(report),
    'run.json': `${JSON.stringify(run, null, 2)}\n`,
    'summary.md': renderSummary(report, chartsMd),
    ...extra,
  };
  mkdirSync(dir, { recursive: true });
  const tmp: [string, string][] = [];
  try {
    for (const [name, text] of Object.entries(files)) {
      const final = join(dir, name);
      const t = `${final}.tmp-${process.pid}`;
      writeFileSync(t, text);
      tmp.push([t, final]);
    }
  } catch (err) {
    for (const [t] of tmp) rmSync(t, { force: true });
    throw err;
  }
  for (const [t, final] of tmp) renameSync(t, final);
  return tmp.map(([, final]) => final);
}
