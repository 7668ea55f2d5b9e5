/**
 * The single-file builds of vega and vega-lite that routesim loads are the packages' own code: every chart
 * of the sample report compiles to the same vega spec and renders to the same SVG bytes as through the
 * packages' ES module entry points, and the versions agree.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vegaEsm from 'vega';
import type { TopLevelSpec } from 'vega-lite';
import * as vegaLiteEsm from 'vega-lite';
import { describe, expect, it } from 'vitest';
import type { Report } from '../types.js';
import { reportCharts } from './index.js';
import { loadVega } from './vega-bundles.js';

const sample: Report = JSON.parse(
  readFileSync(join(import.meta.dirname, '../../../test/fixtures/report-sample.json'), 'utf8'),
);

async function svgOf(vega: typeof vegaEsm, vegaLite: typeof vegaLiteEsm, spec: unknown) {
  const compiled = vegaLite.compile(spec as TopLevelSpec).spec;
  vega.resetSVGDefIds();
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  const svg = await view.toSVG();
  view.finalize();
  return { compiled: JSON.stringify(compiled), svg };
}

describe('vega bundles', () => {
  it('are the versions the packages export', async () => {
    const { vega, vegaLite } = await loadVega();
    expect(vega.version).toBe(vegaEsm.version);
    expect(vegaLite.version).toBe(vegaLiteEsm.version);
    expect(vega).not.toBe(vegaEsm);
  });

  it('draw every chart of the sample report byte for byte as the ES modules do', async () => {
    const { vega, vegaLite } = await loadVega();
    const charts = reportCharts(sample);
    expect(charts.length).toBeGreaterThanOrEqual(4);
    for (const c of charts) {
      const bundled = await svgOf(vega, vegaLite, c.spec);
      const esm = await svgOf(vegaEsm, vegaLiteEsm, c.spec);
      expect(bundled.compiled, c.name).toBe(esm.compiled);
      expect(bundled.svg, c.name).toBe(esm.svg);
      expect(bundled.svg.length, c.name).toBeGreaterThan(1000);
    }
  });
});
