import { describe, expect, it } from 'vitest';
import { MemoryLoadView } from '../router/memory-views.js';
import { LocalLoad } from './local-load.js';

describe('LocalLoad (view: local)', () => {
  it('without a snapshot, counts only its own attempts that have not ended', () => {
    const l = new LocalLoad(Float64Array.of(4, 2), null);
    l.sent(0);
    l.sent(0);
    l.sent(1);
    l.sent(1);
    l.sent(1);
    expect([l.load(0), l.load(1)]).toEqual([0.5, 1.5]);
    expect([l.inFlight(1), l.queueDepth(1)]).toEqual([2, 1]);
    l.ended(1);
    expect(l.load(1)).toBe(1);
  });

  it('with a snapshot, adds what it sent net of what ended since the refresh (never below 0)', () => {
    const snap = new MemoryLoadView([4]);
    snap.set(0, 2, 0); // the last refresh saw 2 of 4 slots busy
    const l = new LocalLoad(Float64Array.of(4), snap);
    l.sent(0);
    l.sent(0);
    l.sent(0);
    expect(l.load(0)).toBe((2 + 3) / 4);
    l.refreshed(); // the snapshot now includes those 3 (the view's owner refreshes it)
    snap.set(0, 4, 1);
    expect(l.load(0)).toBe(5 / 4);
    for (let k = 0; k < 3; k++) l.ended(0);
    expect(l.load(0)).toBe(2 / 4);
    for (let k = 0; k < 3; k++) l.ended(0);
    expect(l.load(0)).toBe(0);
  });
});
