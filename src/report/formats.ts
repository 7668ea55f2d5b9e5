/**
 * A run's report folder: report.json, run.json and summary.md, then charts/ and report.html. The text
 * files are written before any chart is drawn, so a chart that fails (or a process killed while drawing)
 * never costs the report; each step replaces the folder's report entries as a unit (core/output/folder.ts),
 * so the folder never mixes two runs' files, and charts of an earlier run do not linger.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../core/errors.js';
import { type FolderOutput, replaceEntries } from '../core/output/folder.js';
import type { RunInfo } from './run-info.js';
import { renderSummary } from './summary.js';
import type { Report } from './types.js';

/** report.json text: two-space indented, trailing newline; byte-identical for the same report. */
export function toJson(report: Report): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}

/** Every entry a run's report owns in its folder; anything else there (sweep/, compare/, notes) is kept. */
export const REPORT_ENTRIES = ['report.json', 'run.json', 'summary.md', 'report.html', 'charts'] as const;

/** Thrown when drawing failed after the report itself was written: an internal error (exit 3). */
export class ChartsFailed extends Error {
  constructor(dir: string, cause: unknown) {
    super(
      `drawing the charts failed (${cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause)}); ` +
        `${dir} holds report.json, run.json and summary.md without charts`,
      { cause },
    );
    this.name = 'ChartsFailed';
  }
}

/**
 * Writes the report folder `out.dir` (created; previous report entries replaced, stale charts removed):
 * report.json, run.json and summary.md; then, with `charts`, charts/*.vl.json|svg|png, report.html and
 * summary.md with the charts embedded. Throws UserError for a folder that cannot be written or that would
 * overwrite an input, and ChartsFailed (report on disk) when drawing fails.
 */
export async function writeRunReport(
  out: Omit<FolderOutput, 'owned' | 'marker'>,
  report: Report,
  run: RunInfo,
  opts: { charts: boolean },
): Promise<void> {
  const summary = (stage: string, chartsMd: string) =>
    writeFileSync(join(stage, 'summary.md'), renderSummary(report, run, chartsMd));
  await replaceEntries({ ...out, owned: REPORT_ENTRIES, marker: 'report.json' }, async (stage) => {
    writeFileSync(join(stage, 'report.json'), toJson(report));
    writeFileSync(join(stage, 'run.json'), `${JSON.stringify(run, null, 2)}\n`);
    summary(stage, '');
  });
  if (!opts.charts) return;
  const { writeReportArtifacts, chartsMarkdown } = await import('./html.js');
  await replaceEntries({ ...out, owned: ['charts', 'report.html', 'summary.md'] }, async (stage) => {
    let drawn: Awaited<ReturnType<typeof writeReportArtifacts>>;
    try {
      drawn = await writeReportArtifacts(report, stage);
    } catch (err) {
      throw err instanceof UserError ? err : new ChartsFailed(out.dir, err);
    }
    summary(stage, chartsMarkdown(drawn.charts));
  });
}
