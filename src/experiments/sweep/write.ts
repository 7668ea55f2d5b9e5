/**
 * Writes a finished sweep: sweep.json, sweep.md and charts/sweep-heatmap.{vl.json,svg,png}, rendered with
 * the charts' own renderer (deterministic for the same result, so a merged sweep's files equal the
 * unsharded run's).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { sweepMarkdown } from './format.js';
import { sweepHeatmap } from './heatmap.js';
import { type SweepResult, sweepJson } from './sweep.js';

/** Returns the paths written. */
export async function writeSweep(result: SweepResult, dir: string): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const { writeCharts } = await import('../../report/charts/render.js');
  const chart = sweepHeatmap(result);
  const { written } = chart ? await writeCharts([chart], dir) : { written: [] };
  const json = join(dir, 'sweep.json');
  const md = join(dir, 'sweep.md');
  await writeFile(json, sweepJson(result));
  await writeFile(md, sweepMarkdown(result, written));
  return [json, md, ...written.flatMap((c) => [join(dir, c.svg), join(dir, c.png)])];
}
