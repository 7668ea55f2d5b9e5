/**
 * Writes a finished sweep: sweep.json and sweep.md, then charts/sweep-heatmap.{vl.json,svg,png} (and
 * sweep.md with the heatmap), rendered with the charts' own renderer (deterministic for the same result, so
 * a merged sweep's files equal the unsharded run's). The folder's sweep entries are replaced as a unit
 * (report/formats.ts writeReportFolder); a chart that fails leaves sweep.json and sweep.md.
 */
import { join } from 'node:path';
import type { OutputOptions } from '../../core/output/atomic-file.js';
import type { WrittenChart } from '../../report/charts/render.js';
import { writeReportFolder } from '../../report/formats.js';
import { sweepMarkdown } from './format.js';
import { sweepHeatmap } from './heatmap.js';
import { type SweepResult, sweepJson } from './sweep.js';

/** Writes into `dir` (see the file comment); returns the paths written. */
export async function writeSweep(
  result: SweepResult,
  dir: string,
  opts: OutputOptions = {},
): Promise<string[]> {
  const chart = sweepHeatmap(result);
  let written: WrittenChart[] = [];
  await writeReportFolder(
    { ...opts, dir },
    {
      owned: ['sweep.json', 'sweep.md', 'charts'],
      marker: 'sweep.json',
      texts: (charts: WrittenChart[] | null) => ({
        'sweep.json': sweepJson(result),
        'sweep.md': sweepMarkdown(result, charts ?? []),
      }),
      ...(chart
        ? {
            draw: async (stage: string) => {
              const { writeCharts } = await import('../../report/charts/render.js');
              written = (await writeCharts([chart], stage)).written;
              return written;
            },
          }
        : {}),
    },
  );
  return [
    join(dir, 'sweep.json'),
    join(dir, 'sweep.md'),
    ...written.flatMap((c) => [join(dir, c.svg), join(dir, c.png)]),
  ];
}
