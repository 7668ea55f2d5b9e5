import { describe, expect, it } from 'vitest';
import { build, makeContext } from '../testkit.js';

describe('affinity_based (picker for new sessions)', () => {
  it('places a new session on the least-loaded model', () => {
    const p = build('affinity_based');
    const s = makeContext(3, { load: [0.6, 0.9, 0.1] });
    expect(p.pick(s)).toBe(2);
    expect(s.reason).toBe('affinity_based: new session, lowest load');
  });
});
