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
import type { WrittenChart } from './charts/render.js';
import type { RunInfo } from './run-info.js';
import { renderSummary } from './summary.js';
import type { Report } from './types.js';

/** report.json text: two-space indented, trailing newline; byte-identical for the same report. */
export function toJson(report: Report): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}

/** Every entry a run's report owns in its folder; anything else there (sweep/, compare/, notes) is kept. */
const REPORT_ENTRIES = ['report.json', 'run.json', 'summary.md', 'report.html', 'charts'] as const;

/** Thrown when drawing failed after the text files were written: an internal error (exit 3). */
class ChartsFailed extends Error {
  constructor(dir: string, written: string[], cause: unknown) {
    super(
      `drawing the charts failed (${cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause)}); ` +
        `${dir} holds ${written.join(', ')} without charts`,
      { cause },
    );
    this.name = 'ChartsFailed';
  }
}

/** A report folder's files: text files (some embed the charts once drawn) and the drawing step. */
export interface ReportFolder<D> {
  /** Every top-level entry the writer owns (the folder's other entries are left alone). */
  owned: readonly string[];
  /** The text file that says the output is whole (report.json): written first, never rewritten. */
  marker: string;
  /** name -> text; `drawn` is null before the charts exist. */
  texts(drawn: D | null): Record<string, string>;
  /** Draws charts/ (and any page that inlines them) into `stage`; absent: no charts. */
  draw?: (stage: string) => Promise<D>;
}

/**
 * Writes `out.dir` in two steps, each replacing the owned entries as a unit: the text files (the previous
 * run's charts removed), then the charts with the text files that embed them. Throws UserError for a
 * folder that cannot be written or would overwrite an input, and ChartsFailed when drawing fails (the
 * text files are then on disk).
 */
export async function writeReportFolder<D>(
  out: Omit<FolderOutput, 'owned' | 'marker'>,
  spec: ReportFolder<D>,
): Promise<void> {
  const put = (stage: string, files: Record<string, string>) => {
    for (const [name, text] of Object.entries(files)) writeFileSync(join(stage, name), text);
  };
  const first = spec.texts(null);
  await replaceEntries({ ...out, owned: spec.owned, marker: spec.marker }, async (stage) =>
    put(stage, first),
  );
  const { draw } = spec;
  if (!draw) return;
  const owned = spec.owned.filter((e) => e !== spec.marker);
  await replaceEntries({ ...out, owned }, async (stage) => {
    let drawn: D;
    try {
      drawn = await draw(stage);
    } catch (err) {
      throw err instanceof UserError ? err : new ChartsFailed(out.dir, Object.keys(first), err);
    }
    const { [spec.marker]: _kept, ...rest } = spec.texts(drawn);
    put(stage, rest);
  });
}

/**
 * A run's folder: report.json, run.json and summary.md; then, with `charts`, charts/*.vl.json|svg|png,
 * report.html and summary.md with the PNGs embedded (see writeReportFolder for what is replaced and thrown).
 */
export async function writeRunReport(
  out: Omit<FolderOutput, 'owned' | 'marker'>,
  report: Report,
  run: RunInfo,
  opts: { charts: boolean },
): Promise<void> {
  const { writeReportArtifacts, chartsMarkdown } = opts.charts ? await import('./html.js') : {};
  await writeReportFolder(out, {
    owned: REPORT_ENTRIES,
    marker: 'report.json',
    texts: (charts: WrittenChart[] | null) => ({
      'report.json': toJson(report),
      'run.json': `${JSON.stringify(run, null, 2)}\n`,
      'summary.md': renderSummary(report, charts && chartsMarkdown ? chartsMarkdown(charts) : ''),
    }),
    ...(writeReportArtifacts
      ? { draw: async (stage: string) => (await writeReportArtifacts(report, stage)).charts }
      : {}),
  });
}
