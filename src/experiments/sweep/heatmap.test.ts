import { describe, expect, it } from 'vitest';
import { cellStep } from './heatmap.js';

describe('sweep heatmap cell size', () => {
  it('fills about span px with a few cells, never above `most` nor below 28 px', () => {
    expect(cellStep(720, 3, 120)).toBe(120); // 3 columns: 240 each, capped at 120 (plot 360 px wide)
    expect(cellStep(720, 9, 120)).toBe(80);
    expect(cellStep(720, 30, 120)).toBe(28); // 24 would be illegible: 28 px, the plot grows instead
    expect(cellStep(320, 3, 64)).toBe(64); // 3 rows: 64 px each, was 28 (an 84 px plot under its axis titles)
    expect(cellStep(320, 10, 64)).toBe(32);
    expect(cellStep(320, 0, 64)).toBe(64); // no second axis: one row
  });
});
